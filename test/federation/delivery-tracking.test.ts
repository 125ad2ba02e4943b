// The deliveries table as the queue wrapper keeps it, with a queue of the test's own that runs
// handlers at once, and the queries the admin reads it with.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SendActivityError, type MessageQueue } from "@fedify/fedify";
import {
  countFailedSince,
  deleteSupersededDeliveries,
  hasNote,
  listPostDeliveries,
  recordOutcome,
  recordQueued,
} from "../../src/data/deliveries.ts";
import { deliveryAbandoned, deliveryFailed, trackDeliveries } from "../../src/federation/delivery-tracking.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

const NOTE = "https://blog.test/p/abc";
const CREATE = `${NOTE}/create`;
const outbox = (inbox: string, attempt = 0, activityId = CREATE) => ({ type: "outbox", activityId, inbox, attempt });
const postOf = (id: URL) => (id.href.startsWith(NOTE) ? "abc" : null);

/** A queue that keeps what is enqueued; its listen() runs the handler once, on `current`. */
function memoryQueue() {
  const queued: unknown[] = [];
  const state = { current: undefined as unknown };
  const queue: MessageQueue = {
    enqueue: async (message) => void queued.push(message),
    listen: async (listener) => void (await listener(state.current)),
  };
  return { queue, queued, state };
}

for (const backend of backends()) {
  describe(`delivery tracking (${backend})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await database?.drop();
    });
    const statusOf = async (inbox: string) => (await listPostDeliveries(database.db, "abc")).find((row) => row.inbox === inbox);

    it("records what is queued, then what the handler's attempt came to", async () => {
      const memory = memoryQueue();
      const tracked = trackDeliveries(memory.queue, database.db, postOf);
      await tracked.enqueue(outbox("https://a.test/inbox"));
      await tracked.enqueue({ type: "outbox", activityId: "https://blog.test/users/owner#profile-update-1", inbox: "https://a.test/inbox", attempt: 0 });
      assert.equal(memory.queued.length, 2);
      assert.deepEqual(
        (await listPostDeliveries(database.db, "abc")).map(({ inbox, status, attempts }) => ({ inbox, status, attempts })),
        [{ inbox: "https://a.test/inbox", status: "pending", attempts: 0 }],
        "only a post's activities are recorded",
      );

      const handlers = tracked;
      const run = async (message: unknown, handler: (message: any) => Promise<void>) => {
        memory.state.current = message;
        await handlers.listen(handler);
      };

      // Fails, and Fedify queues the next attempt: pending, with the error.
      await run(outbox("https://a.test/inbox"), async (message) => {
        deliveryFailed(new SendActivityError(new URL(message.inbox), 502, "Bad gateway", "upstream down", new Headers()));
        await handlers.enqueue({ ...message, attempt: message.attempt + 1 });
      });
      assert.equal((await statusOf("https://a.test/inbox"))?.status, "pending");
      assert.equal((await statusOf("https://a.test/inbox"))?.attempts, 1);
      assert.equal((await statusOf("https://a.test/inbox"))?.last_error, "HTTP 502 upstream down");
      assert.equal((await statusOf("https://a.test/inbox"))?.last_status_code, 502);

      // Held by the circuit breaker without being tried: pending, attempts unchanged.
      await run(outbox("https://a.test/inbox", 1), async (message) => {
        await handlers.enqueue({ ...message, circuitHeld: true });
      });
      assert.equal((await statusOf("https://a.test/inbox"))?.status, "pending");
      assert.equal((await statusOf("https://a.test/inbox"))?.attempts, 1);
      assert.match((await statusOf("https://a.test/inbox"))?.last_error ?? "", /Held/);

      // Fails with no next attempt: failed.
      await run(outbox("https://a.test/inbox", 1), async () => deliveryFailed(new Error("connect ECONNREFUSED")));
      assert.equal((await statusOf("https://a.test/inbox"))?.status, "failed");
      assert.equal((await statusOf("https://a.test/inbox"))?.attempts, 2);
      assert.equal((await statusOf("https://a.test/inbox"))?.last_error, "connect ECONNREFUSED");

      // Held past the breaker's retention: failed.
      await run(outbox("https://b.test/inbox", 3), async () => deliveryAbandoned("circuit-breaker-ttl"));
      assert.equal((await statusOf("https://b.test/inbox"))?.status, "failed");

      // 410: gone.
      await run(outbox("https://c.test/inbox"), async (message) => {
        deliveryFailed(new SendActivityError(new URL(message.inbox), 410, "Gone", "", new Headers()));
        deliveryAbandoned("http");
      });
      assert.equal((await statusOf("https://c.test/inbox"))?.status, "gone");

      // A handler that throws is run again by the queue: nothing is recorded.
      await assert.rejects(run(outbox("https://c.test/inbox"), async () => {
        throw new Error("database down");
      }));
      assert.equal((await statusOf("https://c.test/inbox"))?.status, "gone");

      // A fan-out's deliveries are written once it has run, all in one statement.
      await run({ type: "fanout" }, async () => {
        for (const host of ["d", "e", "f"]) await handlers.enqueue(outbox(`https://${host}.test/inbox`));
        assert.equal(await statusOf("https://d.test/inbox"), undefined);
      });
      assert.equal((await statusOf("https://f.test/inbox"))?.status, "pending");

      await run(outbox("https://d.test/inbox"), async () => {});
      assert.equal((await statusOf("https://d.test/inbox"))?.status, "sent");
      assert.equal((await statusOf("https://d.test/inbox"))?.attempts, 1);
      assert.equal(await countFailedSince(database.db, new Date(Date.now() - 60_000)), 2);
    });

    it("starts a new first attempt afresh, and keeps one row per server once a later activity is sent", async () => {
      const key = { activityId: CREATE, inbox: "https://g.test/inbox", postId: "abc" };
      await recordOutcome(database.db, { ...key, status: "failed", attempts: 3, error: "HTTP 500", statusCode: 500 });
      await recordQueued(database.db, [{ ...key, attempts: 0 }]);
      const fresh = await statusOf(key.inbox);
      assert.deepEqual([fresh?.status, fresh?.attempts, fresh?.last_error], ["pending", 0, null]);
      await recordOutcome(database.db, { ...key, status: "sent", attempts: 1, error: null, statusCode: null });
      assert.equal(await hasNote(database.db, "abc", key.inbox, CREATE, NOTE), true);
      assert.equal(await hasNote(database.db, "abc", "https://a.test/inbox", CREATE, NOTE), false);

      const update = { ...key, activityId: `${NOTE}#update-1` };
      await new Promise((resolve) => setTimeout(resolve, 5));
      await recordOutcome(database.db, { ...update, status: "failed", attempts: 2, error: "HTTP 500", statusCode: 500 });
      await deleteSupersededDeliveries(database.db);
      assert.equal((await statusOf(key.inbox))?.activity_id, update.activityId, "the page shows the latest activity");
      assert.equal(await hasNote(database.db, "abc", key.inbox, CREATE, NOTE), true, "a failed Update supersedes nothing");

      await recordOutcome(database.db, { ...update, status: "sent", attempts: 3, error: null, statusCode: null });
      assert.ok((await deleteSupersededDeliveries(database.db)) >= 1);
      const rows = await database.db.selectFrom("deliveries").select("activity_id").where("inbox", "=", key.inbox).execute();
      assert.deepEqual(rows, [{ activity_id: update.activityId }]);
      assert.equal(await hasNote(database.db, "abc", key.inbox, CREATE, NOTE), true, "the sent Update tells the Note is there");
      assert.equal(await hasNote(database.db, "abc", key.inbox, `${NOTE}~1/create`, `${NOTE}~1`), false, "not the next generation's");
    });
  });
}
