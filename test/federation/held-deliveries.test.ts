// Held deliveries in the queue: what is enqueued inside holdDeliveries() waits out the hold and
// carries its key; cancelHeld() takes the held jobs out, unless one has started or is due.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { cancelHeld, holdDeliveries } from "../../src/federation/held-deliveries.ts";
import { GloseMessageQueue } from "../../src/federation/message-queue.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

for (const backend of backends()) {
  describe(`held deliveries (${backend})`, () => {
    let database: TestDatabase;
    let queue: GloseMessageQueue;
    before(async () => {
      database = await createTestDatabase(backend);
      queue = new GloseMessageQueue(database);
    });
    after(async () => {
      await database?.drop();
    });

    const rows = async (key: string) =>
      (
        await sql<{ id: number; waits_ms: number; message: any }>`
          select id, extract(epoch from run_at - now()) * 1000 as waits_ms, message
            from fedify_queue where message->>'gloseHold' = ${key}`.execute(database.db)
      ).rows;

    it("delays what is enqueued under a hold and marks it with the hold's key", async () => {
      await holdDeliveries({ key: "delete a", delayMs: 60_000 }, () => queue.enqueue({ type: "fanout", activityType: "Delete" }));
      await queue.enqueue({ type: "fanout", activityType: "Create" });
      const held = await rows("delete a");
      assert.equal(held.length, 1);
      assert.equal(held[0]!.message.activityType, "Delete");
      assert.ok(held[0]!.waits_ms > 50_000, `waits ${held[0]!.waits_ms} ms`);
      const unheld = await sql<{ n: number }>`select count(*)::int as n from fedify_queue where message->>'gloseHold' is null and run_at <= now()`.execute(database.db);
      assert.equal(unheld.rows[0]!.n, 1, "outside the hold, nothing is delayed or marked");

      assert.equal(await cancelHeld(database.db, "delete a"), true);
      assert.deepEqual(await rows("delete a"), []);
      assert.equal(await cancelHeld(database.db, "delete a"), true, "nothing held: nothing to refuse");
    });

    it("refuses to cancel once a held job is due or taken by a worker", async () => {
      await holdDeliveries({ key: "delete b", delayMs: 60_000 }, () => queue.enqueue({ type: "fanout", activityType: "Delete" }));
      await sql`update fedify_queue set run_at = now() - interval '1 second' where message->>'gloseHold' = 'delete b'`.execute(database.db);
      assert.equal(await cancelHeld(database.db, "delete b"), false);
      assert.equal((await rows("delete b")).length, 1, "a due job stays");

      await holdDeliveries({ key: "delete c", delayMs: 60_000 }, () => queue.enqueue({ type: "fanout", activityType: "Delete" }));
      await sql`update fedify_queue set locked_by = 'worker#1' where message->>'gloseHold' = 'delete c'`.execute(database.db);
      assert.equal(await cancelHeld(database.db, "delete c"), false);
      assert.equal((await rows("delete c")).length, 1, "a running job stays");
    });
  });
}
