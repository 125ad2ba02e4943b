// A server that answers 410 Gone to a delivery loses its followers at once (recorded for the
// owner), and the others keep theirs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabase } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

const follower = (host: string, name: string) => ({
  actor_id: `https://${host}/users/${name}`,
  follow_id: `https://${host}/follows/${name}`,
  inbox_url: `https://${host}/users/${name}/inbox`,
  shared_inbox_url: `https://${host}/inbox`,
  handle: `@${name}@${host}`,
});

for (const backend of backends()) {
  describe(`followers on a server that is gone (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let network: Network;
    let glose: HttpsGlose;
    const deliveries = { "gone.test": 0, "alive.test": 0 };
    before(async () => {
      database = await createTestDatabase(backend);
      await database.db
        .insertInto("followers")
        .values([follower("gone.test", "ann"), follower("gone.test", "ben"), follower("alive.test", "cat")])
        .execute();
      await database.close();
      network = await startNetwork();
      for (const host of ["gone.test", "alive.test"] as const) {
        await network.serve(host, (request, response) => {
          request.resume();
          deliveries[host]++;
          response.writeHead(host === "gone.test" ? 410 : 202).end();
        });
      }
      glose = await network.startGlose("blog.test", await ownerEnv(database.env));
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const followers = async () => {
      const response = await fetch(`${glose.origin}/users/${OWNER}/followers`, { headers: { Accept: ACTIVITY_JSON } });
      return ((await response.json()) as { totalItems: number }).totalItems;
    };

    it("removes them after a 410 and tells the owner why", async () => {
      assert.equal(await followers(), 3);
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      await admin.publish({ url: "https://example.org/", title: "Un lien", comment: "Pour mes abonnés." });
      await waitFor("the followers on gone.test to go", async () => ((await followers()) === 1 ? true : undefined));
      // (Two requests at most: Fedify knocks again with the older signature scheme after a 4xx.)
      const toGone = deliveries["gone.test"];
      assert.ok(toGone >= 1 && toGone <= 2, `${toGone} requests to the gone server`);
      const notifications = await (await admin.request("/admin/notifications")).text();
      assert.match(notifications, /was removed from your followers/);
      assert.match(notifications, /https:\/\/gone\.test\/inbox answered 410/);

      await waitFor("the first post on alive.test", async () => (deliveries["alive.test"] >= 1 ? true : undefined));
      // Counted before the next posts: their deliveries may arrive before publish() answers.
      const toAlive = deliveries["alive.test"];
      await admin.publish({ url: "https://example.org/2", title: "Un autre", comment: "Encore." });
      await admin.publish({ url: "https://example.org/3", title: "Et encore", comment: "Toujours." });
      await waitFor("the next deliveries", async () => (deliveries["alive.test"] >= toAlive + 2 ? true : undefined));
      assert.equal(deliveries["gone.test"], toGone, "nothing more sent to the gone server");
    });
  });
}
