import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../src/data/client.ts";
import { GloseMessageQueue, type GloseMessageQueueOptions } from "../../src/federation/message-queue.ts";
import { deleteUnusedParts } from "../../src/federation/queue-parts.ts";
import { Temporal } from "../../src/temporal.ts";
import { backends, createTestDatabase, type BackendName, type TestDatabase } from "../helpers/database.ts";

type Handler = (message: any) => Promise<void> | void;

interface Scope {
  readonly database: TestDatabase;
  /** A queue on the test database, quick to poll unless told otherwise. */
  queue(options?: GloseMessageQueueOptions, on?: Database): GloseMessageQueue;
  /** Starts listening; the listener is aborted, and awaited, when the test ends. */
  listen(queue: GloseMessageQueue, handler: Handler): { stop(): Promise<void> };
  /** Another connection pool to the same PostgreSQL database, as another process would have. */
  connect(): Promise<Database>;
}

async function withQueue(backend: BackendName, test: (scope: Scope) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(backend);
  const cleanups: (() => Promise<void>)[] = [];
  const scope: Scope = {
    database,
    queue: (options, on = database) => new GloseMessageQueue(on, { pollIntervalMs: 200, ...options }),
    listen(queue, handler) {
      const controller = new AbortController();
      const done = queue.listen(handler, { signal: controller.signal });
      const stop = async () => {
        controller.abort();
        await done;
      };
      cleanups.push(stop);
      return { stop };
    },
    async connect() {
      const other = await openDatabase({ url: database.env.DATABASE_URL!, dataDir: null });
      cleanups.unshift(() => other.close());
      return other;
    },
  };
  try {
    await test(scope);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await database.drop();
  }
}

/** Polls `check` until it holds; fails the test after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

async function rows(database: Database): Promise<number> {
  const { count } = await database.db.selectFrom("fedify_queue").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
  return Number(count);
}

const options = { timeout: 60_000 };

for (const backend of backends()) {
  describe(`GloseMessageQueue (${backend})`, () => {
    it("hands an enqueued message to the handler and deletes it after success", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        const received: unknown[] = [];
        const q = queue();
        assert.equal(q.nativeRetrial, false);
        listen(q, (message) => void received.push(message));
        const message = { type: "outbox", id: "urn:uuid:1", activity: { "@context": "x", to: ["a", "b"] }, attempt: 0 };
        await q.enqueue(message);
        await until("the message is handled", () => received.length === 1);
        assert.deepEqual(received, [message]);
        await until("the job is deleted", async () => (await rows(database)) === 0);
      }));

    it("enqueues many messages in one call", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        const received: number[] = [];
        const q = queue({ concurrency: 3 });
        listen(q, (message: { n: number }) => void received.push(message.n));
        await q.enqueueMany([]);
        await q.enqueueMany(Array.from({ length: 25 }, (_, n) => ({ n })));
        await until("all are handled", () => received.length === 25);
        assert.deepEqual(received.sort((a, b) => a - b), Array.from({ length: 25 }, (_, n) => n));
        await until("the jobs are deleted", async () => (await rows(database)) === 0);
      }));

    it("holds a delayed message back until it is due, even with a long poll interval", options, () =>
      withQueue(backend, async ({ queue, listen }) => {
        let handledAt: number | null = null;
        const q = queue({ pollIntervalMs: 60_000 });
        listen(q, () => void (handledAt = performance.now()));
        const enqueuedAt = performance.now();
        await q.enqueue({ later: true }, { delay: Temporal.Duration.from({ seconds: 1 }) });
        await sleep(300);
        assert.equal(handledAt, null);
        assert.deepEqual(await q.getDepth(), { queued: 1, ready: 0, delayed: 1 });
        await until("the delayed message is handled", () => handledAt !== null, 10_000);
        assert.ok(handledAt! - enqueuedAt >= 900, `handled after ${handledAt! - enqueuedAt} ms`);
      }));

    it("runs the jobs of one ordering key one at a time and in order, other keys alongside", options, () =>
      withQueue(backend, async ({ queue, listen }) => {
        const runs: { key: string; n: number; start: number; end: number }[] = [];
        const q = queue({ concurrency: 4 });
        for (let n = 0; n < 4; n++) {
          for (const key of ["a", "b"]) await q.enqueue({ key, n }, { orderingKey: key });
        }
        listen(q, async (message: { key: string; n: number }) => {
          const start = performance.now();
          await sleep(40);
          runs.push({ ...message, start, end: performance.now() });
        });
        await until("all are handled", () => runs.length === 8);
        for (const key of ["a", "b"]) {
          const ofKey = runs.filter((run) => run.key === key).sort((x, y) => x.start - y.start);
          assert.deepEqual(ofKey.map((run) => run.n), [0, 1, 2, 3], `order of ${key}`);
          for (let i = 1; i < ofKey.length; i++) assert.ok(ofKey[i]!.start >= ofKey[i - 1]!.end, `overlap in ${key}`);
        }
        const overlapping = runs.some((x) => runs.some((y) => x.key !== y.key && x.start < y.end && y.start < x.end));
        assert.ok(overlapping, "jobs of different keys never ran at the same time");
      }));

    it("counts ready and delayed jobs, but not those being handled", options, () =>
      withQueue(backend, async ({ queue, listen }) => {
        const q = queue();
        assert.deepEqual(await q.getDepth(), { queued: 0, ready: 0, delayed: 0 });
        await q.enqueueMany([{ n: 1 }, { n: 2 }]);
        await q.enqueue({ n: 3 }, { delay: Temporal.Duration.from({ hours: 1 }) });
        assert.deepEqual(await q.getDepth(), { queued: 3, ready: 2, delayed: 1 });

        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const handled: number[] = [];
        listen(q, async (message: { n: number }) => {
          if (handled.length === 0) await released;
          handled.push(message.n);
        });
        await until("the first job is being handled", async () => (await q.getDepth()).queued === 2);
        assert.deepEqual(await q.getDepth(), { queued: 2, ready: 1, delayed: 1 });
        release();
        await until("both ready jobs are handled", () => handled.length === 2);
        await until("only the delayed job is left", async () => (await q.getDepth()).ready === 0);
        assert.deepEqual(await q.getDepth(), { queued: 1, ready: 0, delayed: 1 });
      }));

    it("gives a job whose handler threw to a handler again later", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        const calls: unknown[] = [];
        const q = queue({ retryDelayMs: 100 });
        listen(q, (message) => {
          calls.push(message);
          if (calls.length === 1) throw new Error("transient failure");
        });
        await q.enqueue({ retry: "me" });
        await until("the job is retried", () => calls.length === 2);
        assert.deepEqual(calls, [{ retry: "me" }, { retry: "me" }]);
        await until("the job is deleted", async () => (await rows(database)) === 0);
        assert.equal(calls.length, 2);
      }));

    it("drops a job after maxAttempts failures", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        let calls = 0;
        const q = queue({ retryDelayMs: 20, maxAttempts: 3 });
        listen(q, async () => {
          calls++;
          throw new Error("permanent failure");
        });
        await q.enqueue({ doomed: true });
        await until("the job is dropped", async () => calls > 0 && (await rows(database)) === 0);
        assert.equal(calls, 3);
      }));

    it("hands every job to exactly one of two competing workers", options, () =>
      withQueue(backend, async ({ database, queue, listen, connect }) => {
        // On PostgreSQL, each worker has its own pool, as separate processes would.
        const otherDatabase = backend === "postgres" ? await connect() : database;
        const counts = new Map<number, number>();
        const byWorker = [0, 0];
        const handlerOf = (worker: number) => async (message: { n: number }) => {
          counts.set(message.n, (counts.get(message.n) ?? 0) + 1);
          byWorker[worker]!++;
          await sleep(2);
        };
        listen(queue({ concurrency: 2 }), handlerOf(0));
        listen(queue({ concurrency: 2 }, otherDatabase), handlerOf(1));
        await queue().enqueueMany(Array.from({ length: 200 }, (_, n) => ({ n })));
        await until("all jobs are done", async () => counts.size === 200 && (await rows(database)) === 0, 50_000);
        assert.deepEqual([...counts.values()].filter((count) => count !== 1), []);
        assert.ok(byWorker[0]! > 0 && byWorker[1]! > 0, `jobs per worker: ${byWorker}`);
      }));

    it("lets another worker take a job whose lease ran out, and keeps the first off it", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        let stuckStarted = false;
        let unstick!: () => void;
        const unstuck = new Promise<void>((resolve) => (unstick = resolve));
        const stuck = listen(queue({ workerId: "stuck" }), async () => {
          stuckStarted = true;
          await unstuck;
        });
        await queue().enqueue({ job: "lost" });
        await until("the stuck worker has the job", () => stuckStarted);
        // As if the stuck worker had stopped renewing its lease.
        await sql`update fedify_queue set locked_until = now() - interval '1 second'`.execute(database.db);

        const received: unknown[] = [];
        let finishRescue!: () => void;
        const rescued = new Promise<void>((resolve) => (finishRescue = resolve));
        listen(queue({ workerId: "rescuer" }), async (message) => {
          received.push(message);
          await rescued;
        });
        await until("the rescuer has the job", () => received.length === 1);
        assert.deepEqual(received, [{ job: "lost" }]);

        // The stuck handler ends after all; its success must not delete the rescuer's job.
        unstick();
        await stuck.stop();
        const [row] = await database.db.selectFrom("fedify_queue").select("locked_by").execute();
        assert.match(row?.locked_by ?? "", /^rescuer#/);
        finishRescue();
        await until("the job is deleted", async () => (await rows(database)) === 0);
      }));

    it("finishes a running handler when aborted, and releases one that outlasts the grace period", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        let finished = false;
        const patient = queue({ shutdownGraceMs: 10_000 });
        let started = false;
        const worker = listen(patient, async () => {
          started = true;
          await sleep(300);
          finished = true;
        });
        await patient.enqueue({ job: "short" });
        await until("the handler starts", () => started);
        await worker.stop();
        assert.equal(finished, true);
        assert.equal(await rows(database), 0);

        let hung = false;
        const impatient = queue({ shutdownGraceMs: 0, leaseSeconds: 300 });
        const hanging = listen(impatient, async () => {
          hung = true;
          await new Promise(() => {});
        });
        await impatient.enqueue({ job: "endless" });
        await until("the handler hangs", () => hung);
        await hanging.stop();
        const [row] = await database.db.selectFrom("fedify_queue").select(["locked_until", "locked_by"]).execute();
        assert.deepEqual(row, { locked_until: null, locked_by: null });
        const received: unknown[] = [];
        listen(queue(), (message) => void received.push(message));
        await until("another worker handles the released job", () => received.length === 1);
        assert.deepEqual(received, [{ job: "endless" }]);
      }));

    if (backend === "postgres") {
      it("gives the job of a killed worker process to another worker within seconds, with the default lease", options, () =>
        withQueue(backend, async ({ database, queue, listen }) => {
          await queue().enqueue({ job: "orphaned" });
          const child = spawn(process.execPath, ["test/helpers/queue-worker.ts"], {
            cwd: new URL("../../", import.meta.url),
            env: { PATH: process.env.PATH ?? "", DATABASE_URL: database.env.DATABASE_URL! },
            stdio: ["ignore", "pipe", "inherit"],
          });
          const exited = once(child, "exit");
          try {
            let output = "";
            child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
            await until("the child worker starts the job", () => output.includes("started"), 30_000);
            assert.match(output, /started \{"job":"orphaned"\}/);
          } finally {
            child.kill("SIGKILL");
            await exited;
          }
          const killedAt = performance.now();
          const [leased] = await database.db.selectFrom("fedify_queue").select(["locked_by", "attempts"]).execute();
          assert.match(leased?.locked_by ?? "", /^killed-worker#/);

          const received: unknown[] = [];
          listen(queue(), (message) => void received.push(message));
          await until("the surviving worker handles the job", () => received.length === 1, 25_000);
          const waitedMs = performance.now() - killedAt;
          assert.ok(waitedMs <= 20_000, `taken over after ${waitedMs} ms`);
          assert.deepEqual(received, [{ job: "orphaned" }]);
          await until("the job is deleted", async () => (await rows(database)) === 0);
        }));
    }

    it("keeps a job that outlasts its lease with heartbeats, so no other worker takes it", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        const runs: string[] = [];
        const handler = (worker: string) => async () => {
          runs.push(worker);
          await sleep(2500);
        };
        listen(queue({ leaseSeconds: 1, workerId: "first" }), handler("first"));
        await queue().enqueue({ job: "long" });
        await until("the first worker has the job", () => runs.length === 1);
        listen(queue({ leaseSeconds: 1, pollIntervalMs: 50, workerId: "second" }), handler("second"));
        await until("the job is done", async () => (await rows(database)) === 0, 10_000);
        assert.deepEqual(runs, ["first"]);
      }));

    it("keeps a retry enqueued by a running job ahead of the later jobs of its ordering key", options, () =>
      withQueue(backend, async ({ queue, listen }) => {
        const handled: string[] = [];
        const q = queue({ concurrency: 2 });
        await q.enqueue({ name: "create", attempt: 0 }, { orderingKey: "note" });
        await q.enqueue({ name: "delete", attempt: 0 }, { orderingKey: "note" });
        listen(q, async (message: { name: string; attempt: number }) => {
          handled.push(`${message.name}#${message.attempt}`);
          // As Fedify does when a delivery fails: the same message again, later, same key.
          if (message.name === "create" && message.attempt < 2) {
            await q.enqueue({ ...message, attempt: message.attempt + 1 }, { orderingKey: "note", delay: Temporal.Duration.from({ milliseconds: 200 }) });
          }
        });
        await until("all are handled", () => handled.length === 4);
        assert.deepEqual(handled, ["create#0", "create#1", "create#2", "delete#0"]);
      }));

    it("writes what a handler enqueues only once the handler succeeds, and not at all if its lease was lost", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        const q = queue();
        const handled: string[] = [];
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let steal = false;
        listen(q, async (message: { name: string }) => {
          handled.push(message.name);
          if (message.name.startsWith("parent")) {
            await q.enqueue({ name: `child of ${message.name}` });
            await released;
            // As if this worker had stalled past its lease and another had claimed the job.
            if (steal) await sql`update fedify_queue set locked_by = 'someone else'`.execute(database.db);
          }
        });
        await q.enqueue({ name: "parent 1" });
        await until("the parent runs", () => handled.length === 1);
        await sleep(200);
        assert.equal(await rows(database), 1, "the child is not written while its parent runs");
        release();
        await until("the child is handled", () => handled.includes("child of parent 1"));

        steal = true;
        await q.enqueue({ name: "parent 2" });
        await until("the second parent runs", () => handled.includes("parent 2"));
        await until("the second parent is done", async () => (await rows(database)) === 1);
        await sleep(300);
        assert.ok(!handled.includes("child of parent 2"), "the child of a job whose lease was lost was written");
        const [left] = await database.db.selectFrom("fedify_queue").select("locked_by").execute();
        assert.equal(left?.locked_by, "someone else");
      }));

    it("keeps jobs across closing and reopening the database", options, () =>
      withQueue(backend, async ({ database, listen }) => {
        await new GloseMessageQueue(database).enqueue({ durable: true });
        await database.close();
        const reopened = await openDatabase({ url: database.env.DATABASE_URL ?? null, dataDir: database.env.DATA_DIR ?? null });
        try {
          const received: unknown[] = [];
          const worker = listen(new GloseMessageQueue(reopened), (message) => void received.push(message));
          await until("the job is handled after reopening", () => received.length === 1);
          assert.deepEqual(received, [{ durable: true }]);
          await worker.stop();
        } finally {
          await reopened.close();
        }
      }));

    it("wakes an idle worker by NOTIFY when another queue enqueues", { timeout: 15_000 }, () =>
      withQueue(backend, async ({ database, queue, listen, connect }) => {
        const received: unknown[] = [];
        const q = queue({ pollIntervalMs: 60_000 });
        listen(q, (message) => void received.push(message));
        await q.enqueue({ n: 1 });
        await until("the first job is handled", () => received.length === 1);
        await sleep(300);
        const otherDatabase = backend === "postgres" ? await connect() : database;
        await queue({}, otherDatabase).enqueue({ n: 2 });
        // Polling alone would take a minute, past this test's timeout.
        await until("the second job is handled", () => received.length === 2, 10_000);
        assert.deepEqual(received, [{ n: 1 }, { n: 2 }]);
      }));

    it("finds a job by polling when no NOTIFY is sent", options, () =>
      withQueue(backend, async ({ database, queue, listen }) => {
        const received: unknown[] = [];
        listen(queue({ pollIntervalMs: 200 }), (message) => void received.push(message));
        await sleep(300);
        await sql`insert into fedify_queue (message) values (${JSON.stringify({ quiet: true })}::text::jsonb)`.execute(database.db);
        await until("the silently inserted job is handled", () => received.length === 1);
        assert.deepEqual(received, [{ quiet: true }]);
      }));

    describe("a fan-out's shared activity and keys", () => {
      /** Deliveries of one activity, signed with the same keys, as Fedify's fan-out makes them. */
      const fanOut = (count: number) => {
        const activity = { "@context": "https://www.w3.org/ns/activitystreams", type: "Create", object: { content: "<p>É".repeat(500) } };
        const keys = [{ keyId: "https://blog.test/users/owner#main-key", privateKey: { kty: "RSA", d: "secret" } }];
        const messages = Array.from({ length: count }, (_, n) => ({ type: "outbox", id: `urn:uuid:${n}`, inbox: `https://s${n}.test/inbox`, activity, keys, attempt: 0 }));
        return { activity, keys, messages };
      };
      const partCount = async (database: Database) => (await database.db.selectFrom("fedify_queue_parts").select("hash").execute()).length;

      it("are stored once, and each delivery is handed over whole, to another process too", options, () =>
        withQueue(backend, async ({ database, queue, listen, connect }) => {
          const { messages } = fanOut(30);
          await queue().enqueueMany(messages);
          assert.equal(await partCount(database), 2);
          const stored = await database.db.selectFrom("fedify_queue").select(sql<number>`length(message::text)`.as("size")).execute();
          assert.ok(stored.every((row) => row.size < 600), `stored messages of ${stored.map((row) => row.size)} characters`);
          // A queue that has never seen the parts reads them from the database.
          const received: unknown[] = [];
          listen(queue({ concurrency: 8 }, backend === "postgres" ? await connect() : database), (message) => void received.push(message));
          await until("every delivery is handled", () => received.length === 30);
          const byId = (message: any) => message.id;
          assert.deepEqual(received.sort((a, b) => byId(a).localeCompare(byId(b))), [...messages].sort((a, b) => byId(a).localeCompare(byId(b))));
        }));

      it("are frozen once stored, so that a delivery never sends other than what its part names", options, () =>
        withQueue(backend, async ({ queue }) => {
          const { activity, keys, messages } = fanOut(2);
          await queue().enqueueMany(messages);
          assert.throws(() => ((activity.object as { content: string }).content = "changed"), TypeError);
          assert.throws(() => keys.push(keys[0]!), TypeError);
        }));

      it("stay while a queued message names them, and are removed an hour after the last one is gone", options, () =>
        withQueue(backend, async ({ database, queue, listen }) => {
          const q = queue();
          await q.enqueueMany(fanOut(3).messages);
          const anHourAgo = async () => void (await sql`update fedify_queue_parts set stored_at = now() - interval '61 minutes'`.execute(database.db));
          await anHourAgo();
          assert.equal(await deleteUnusedParts(database.db), 0, "parts named by queued deliveries are kept");
          // Enqueued again (the same content, from another process): the part's time is refreshed.
          await queue().enqueueMany(fanOut(1).messages);
          const { rows: [fresh] } = await sql<{ fresh: boolean }>`select bool_and(stored_at > now() - interval '1 minute') as fresh from fedify_queue_parts`.execute(database.db);
          assert.equal(fresh?.fresh, true);
          await anHourAgo();
          const received: unknown[] = [];
          listen(q, (message) => void received.push(message));
          await until("the deliveries are handled", async () => received.length === 4 && (await rows(database)) === 0);
          await sql`update fedify_queue_parts set stored_at = now() - interval '59 minutes'`.execute(database.db);
          assert.equal(await deleteUnusedParts(database.db), 0, "parts are kept for an hour after their last use");
          await anHourAgo();
          assert.equal(await deleteUnusedParts(database.db), 2);
          assert.equal(await partCount(database), 0);
        }));

      it("drops a delivery whose part is gone, once, and goes on with the others", options, () =>
        withQueue(backend, async ({ database, queue, listen }) => {
          await queue().enqueueMany(fanOut(2).messages);
          await database.db.deleteFrom("fedify_queue_parts").execute();
          await queue().enqueue({ type: "outbox", id: "urn:uuid:whole", inbox: "https://other.test/inbox", activity: { type: "Like" }, keys: [], attempt: 0 });
          const received: any[] = [];
          listen(queue(), (message) => void received.push(message));
          await until("the queue is empty", async () => (await rows(database)) === 0);
          assert.deepEqual(received.map((message) => message.id), ["urn:uuid:whole"]);
        }));

      it("refreshes the planner's statistics after a large enqueue", options, () =>
        withQueue(backend, async ({ database, queue }) => {
          const tuples = async () => (await sql<{ n: number }>`select reltuples::float8 as n from pg_class where relname = 'fedify_queue'`.execute(database.db)).rows[0]!.n;
          await queue().enqueueMany(fanOut(99).messages);
          assert.ok((await tuples()) <= 0, "statistics refreshed after a small enqueue");
          await queue().enqueueMany(fanOut(100).messages);
          assert.equal(await tuples(), 199);
        }));
    });
  });
}
