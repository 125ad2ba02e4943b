// /metrics counts this process's deliveries: sent, failed for good (410) and retried (500).
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";

const TOKEN = "a metrics token of some length";
const STATUS: Record<string, number> = { "/ok/inbox": 202, "/busy/inbox": 500, "/gone/inbox": 410 };

for (const backend of backends()) {
  describe(`delivery metrics (${backend})`, { timeout: 60_000 }, () => {
    let glose: TestGlose;
    // One server each: a delivery waits for the earlier ones of its post to the same server,
    // retries included, and the busy inbox's retries would hold the gone one back.
    const inboxes: Server[] = [];
    before(async () => {
      const followers = [];
      for (const [path, status] of Object.entries(STATUS)) {
        const server = createServer((request, response) => {
          request.resume();
          response.writeHead(request.url === path ? status : 404).end();
        });
        server.listen(0, "127.0.0.1");
        await once(server, "listening");
        inboxes.push(server);
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        followers.push({ actor_id: `${origin}${path.replace("/inbox", "")}/actor`, follow_id: `${origin}${path}#follow`, inbox_url: `${origin}${path}`, shared_inbox_url: null, handle: `@x@${path.split("/")[1]}.test` });
      }
      glose = await startTestGlose(backend, { METRICS_TOKEN: TOKEN });
      await glose.database.db.insertInto("followers").values(followers).execute();
    });
    after(async () => {
      await glose?.destroy();
      for (const server of inboxes) server.close();
    });

    it("reports deliveries sent, failed and retried", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      await admin.publish({ url: "https://example.org/metrics", title: "Counted" });
      const counts = await waitFor("three finished deliveries", async () => {
        const response = await fetch(`${glose.origin}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        const text = await response.text();
        const count = (outcome: string) => Number(new RegExp(`^glose_deliveries_total\\{outcome="${outcome}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
        const found = { sent: count("sent"), failed: count("failed"), retried: count("retried") };
        return found.sent + found.failed + found.retried >= 3 ? found : undefined;
      });
      assert.deepEqual(counts, { sent: 1, failed: 1, retried: 1 });
    });
  });
}
