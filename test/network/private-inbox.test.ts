// A follower whose inbox is on an internal address gets nothing, even when its name looked
// harmless: production Glose (ALLOW_PRIVATE_ADDRESS=false) checks the address it connects to,
// after DNS, at delivery time.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabase } from "../helpers/database.ts";
import { OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

for (const backend of backends()) {
  describe(`deliveries to an inbox on an internal address (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let network: Network;
    let glose: HttpsGlose;
    const delivered: string[] = [];
    before(async () => {
      database = await createTestDatabase(backend);
      await database.db
        .insertInto("followers")
        .values({
          actor_id: "https://internal.test/users/admin",
          follow_id: "https://internal.test/follows/1",
          inbox_url: "https://internal.test/users/admin/inbox",
          shared_inbox_url: "https://internal.test/inbox",
          handle: "@admin@internal.test",
        })
        .execute();
      await database.close();
      network = await startNetwork();
      await network.serve("internal.test", (request, response) => {
        delivered.push(`${request.method} ${request.url}`);
        response.writeHead(202).end();
      });
      glose = await network.startGlose("blog.test", { ...(await ownerEnv(database.env)), ALLOW_PRIVATE_ADDRESS: "false", LOG_LEVEL: "info" });
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    it("refuses to connect, and says why", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      await admin.publish({ url: "https://example.org/", title: "Un lien", comment: "Pour mes abonnés." });
      await waitFor("the refused delivery", async () => (/internal\.test resolves to 127\.0\.0\.\d+, not a public address/.test(glose.output()) ? true : undefined));
      assert.deepEqual(delivered, []);
    });
  });
}
