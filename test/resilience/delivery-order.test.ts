// Create, Update, Update and Delete of one post, made back to back while each follower's server
// fails its first deliveries: every server gets them in that order, retries included, and the
// deleted post never comes back.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabase } from "../helpers/database.ts";
import { startInboxFarm, type Delivery, type InboxFarm } from "../helpers/inbox-farm.ts";
import { ownerEnv, OWNER_PASSWORD, startGloseProcess, waitFor, type RunningProcess } from "../helpers/processes.ts";

// Five servers: Fedify fans the activity out through the queue from five inboxes on.
const SERVERS = 5;
const FAILURES = 2;

for (const backend of backends()) {
  describe(`delivery order through failures (${backend})`, { timeout: 60_000 }, () => {
    let farm: InboxFarm;
    let glose: RunningProcess;
    let drop: () => Promise<void>;

    before(async () => {
      farm = await startInboxFarm({ count: SERVERS, failFirst: FAILURES });
      const database = await createTestDatabase(backend);
      drop = () => database.drop();
      await database.db
        .insertInto("followers")
        .values(
          farm.origins.map((origin, server) => ({
            actor_id: `${origin}/users/alice`,
            follow_id: `${origin}/follows/1`,
            inbox_url: `${origin}/users/alice/inbox`,
            shared_inbox_url: `${origin}/inbox`,
            handle: `@alice@server${server}.test`,
          })),
        )
        .execute();
      await database.close();
      glose = await startGloseProcess(await ownerEnv(database.env));
    });
    after(async () => {
      await glose?.stop();
      await farm?.stop();
      await drop?.();
    });

    it("delivers Create, Update, Update, Delete in order to every server", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const id = await admin.publish({ title: "Version 1" });
      await admin.publish({ title: "Version 2" }, `/admin/posts/${id}`);
      await admin.publish({ title: "Version 3" }, `/admin/posts/${id}`);
      const deletion = await admin.submit(`/admin/posts/${id}/delete`, {});
      assert.ok(deletion.status < 400, `delete answered ${deletion.status}`);
      const noteId = `${glose.origin}/p/${id}`;

      const byServer = async () => {
        const deliveries = new Map<number, Delivery[]>();
        for (const delivery of await farm.received()) {
          if (delivery.object !== noteId && !delivery.object?.startsWith(`${noteId}#`)) continue;
          deliveries.set(delivery.server, [...(deliveries.get(delivery.server) ?? []), delivery]);
        }
        return deliveries;
      };
      await waitFor(
        "the Delete on every server",
        async () => {
          const deliveries = await byServer();
          const done = [...deliveries.values()].filter((list) => list.some((d) => d.type === "Delete" && d.status === 202));
          return done.length === SERVERS ? true : undefined;
        },
        45_000,
      );
      // Anything sent after the Delete would bring the post back.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const [server, deliveries] of await byServer()) {
        assert.deepEqual(
          deliveries.map((d) => `${d.type} ${d.status}`),
          ["Create 500", "Create 500", "Create 202", "Update 202", "Update 202", "Delete 202"],
          `server ${server}`,
        );
      }
    });
  });
}
