// Request bodies are capped before anything parses them, on every route: a huge upload from a
// stranger costs Glose at most the route's limit in memory, and only the owner gets the larger
// limit of the profile settings.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { DEFAULT_BODY_LIMIT } from "../../src/web/body-limit.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const MB = 1024 * 1024;

/** Streams `total` bytes to `path` without a Content-Length; resolves with the status. */
function streamPost(origin: string, path: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    const request = http.request(new URL(path, origin), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" },
    });
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", reject);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      request.end();
    };
    pump();
  });
}

for (const backend of backends()) {
  describe(`request body limits (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend);
    });
    after(async () => await glose.destroy());

    it("refuses a 300 MB stream to the login form at the limit, without holding it", async () => {
      const before = process.memoryUsage().rss;
      assert.equal(await streamPost(glose.origin, "/admin/login", 300 * MB), 413);
      const grown = process.memoryUsage().rss - before;
      assert.ok(grown < 64 * MB, `resident memory grew by ${Math.round(grown / MB)} MB`);
    });

    it("refuses an announced body over the limit on any path", async () => {
      for (const path of ["/admin/login", "/api/v1/links", "/inbox", "/p/anything", "/nowhere"]) {
        const response = await fetch(new URL(path, glose.origin), {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: "a".repeat(DEFAULT_BODY_LIMIT + 1),
        });
        assert.equal(response.status, 413, path);
        await response.body?.cancel();
      }
    });

    it("gives the larger settings limit to the owner only", async () => {
      const upload = async (client: AdminClient) => {
        const response = await client.upload("/admin/settings", { display_name: "Le sblog" }, { header: new File([Buffer.alloc(3 * MB)], "header.bin", { type: "application/octet-stream" }) });
        await response.body?.cancel();
        return response.status;
      };
      const stranger = new AdminClient(glose.origin);
      await (await stranger.request("/admin")).body?.cancel();
      assert.equal(await upload(stranger), 413);
      const owner = new AdminClient(glose.origin);
      await owner.logIn(OWNER_PASSWORD);
      // Past the body limit, the profile's own checks answer (this is no image).
      assert.equal(await upload(owner), 400);
    });
  });
}
