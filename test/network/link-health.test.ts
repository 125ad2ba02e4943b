// Link checks from a Glose process in the deployment shape, against https sites with real names:
// with ALLOW_PRIVATE_ADDRESS off the guard refuses them before any request reaches them; with it
// on, "check now" finds live, moved, dead and vanished links.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type Network } from "../helpers/https-network.ts";
import { ownerEnv } from "../helpers/processes.ts";

const ANSWERS: Record<string, [number, Record<string, string>]> = {
  "/article": [200, { "content-type": "text/html" }],
  "/old": [301, { location: "https://site.test/new" }],
  "/new": [200, { "content-type": "text/html" }],
  "/removed": [410, {}],
};

for (const backend of backends()) {
  describe(`link checks over https (${backend})`, () => {
    let network: Network;
    const databases: { drop(): Promise<void> }[] = [];
    const requests: string[] = [];

    const startBlog = async (name: string, allowPrivateAddress: boolean) => {
      const database = await createTestDatabaseEnv(backend);
      databases.push(database);
      const env = { ...(await ownerEnv(database.env)), ALLOW_PRIVATE_ADDRESS: String(allowPrivateAddress) };
      const glose = await network.startGlose(name, env);
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      /** Checks the post's link now; returns the status the admin is told. */
      const checkNow = async (id: string) => {
        const response = await admin.submit("/admin/links/health/check", { post: id });
        assert.equal(response.status, 303);
        return new URL(response.headers.get("location") ?? "", glose.origin).searchParams.get("n");
      };
      return { admin, checkNow };
    };

    before(async () => {
      network = await startNetwork();
      await network.serve("site.test", (request, response) => {
        request.resume();
        requests.push(`${request.method} ${request.url}`);
        const [status, headers] = ANSWERS[request.url ?? ""] ?? [404, {}];
        response.writeHead(status, headers).end();
      });
    });
    after(async () => {
      await network?.close();
      for (const database of databases) await database.drop();
    });

    it("refuses links to private addresses without a request when ALLOW_PRIVATE_ADDRESS is off", async () => {
      const { admin, checkNow } = await startBlog("guarded.test", false);
      const id = await admin.publish({ url: "https://site.test/article", title: "Sur un réseau privé" });
      requests.length = 0;
      assert.equal(await checkNow(id), "refused");
      assert.deepEqual(requests, []);
      assert.match(await (await admin.request("/admin/links/health")).text(), /Not checked/);
    });

    it("finds live, moved, dead and vanished links", async () => {
      const { admin, checkNow } = await startBlog("blog.test", true);
      const publish = (url: string) => admin.publish({ url, title: url });
      assert.equal(await checkNow(await publish("https://site.test/article")), "healthy");
      assert.equal(await checkNow(await publish("https://site.test/old")), "moved");
      assert.equal(await checkNow(await publish("https://site.test/removed")), "dead");
      assert.equal(await checkNow(await publish("https://vanished.test/page")), "dead");
      assert.ok(requests.includes("HEAD /article"), requests.join(", "));
    });
  });
}
