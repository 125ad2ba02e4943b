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
    let inboxes: Server;
    before(async () => {
      inboxes = createServer((request, response) => {
        request.resume();
        response.writeHead(STATUS[request.url ?? ""] ?? 404).end();
      });
      inboxes.listen(0, "127.0.0.1");
      await once(inboxes, "listening");
      const origin = `http://127.0.0.1:${(inboxes.address() as AddressInfo).port}`;
      glose = await startTestGlose(backend, { METRICS_TOKEN: TOKEN });
      await glose.database.db
        .insertInto("followers")
        .values(Object.keys(STATUS).map((path) => ({ actor_id: `${origin}${path.replace("/inbox", "")}/actor`, follow_id: `${origin}${path}#follow`, inbox_url: `${origin}${path}`, shared_inbox_url: null, handle: `@x@${path.split("/")[1]}.test` })))
        .execute();
    });
    after(async () => {
      await glose?.destroy();
      inboxes?.close();
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
