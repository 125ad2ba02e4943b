// The database client and the queue on a PostgreSQL server that restarts, or ends connections:
// the process survives, the worker listens again once the server is back, and a job enqueued
// then is handled at once, not at the next poll.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../src/data/client.ts";
import { migrate } from "../../src/data/migrate.ts";
import { GloseMessageQueue } from "../../src/federation/message-queue.ts";
import { postgresServerUnavailable, startPostgresServer, type PostgresServer } from "../helpers/postgres-server.ts";

const unavailable = await postgresServerUnavailable();
if (unavailable !== null) console.log(`# skipping the queue restart tests: ${unavailable}`);

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

describe("PostgreSQL restarts and ended connections", { skip: unavailable ?? false, timeout: 60_000 }, () => {
  let server: PostgresServer;
  let worker: Database;
  let producer: Database;

  before(async () => {
    server = await startPostgresServer();
    worker = await openDatabase({ url: server.url, dataDir: null });
    producer = await openDatabase({ url: server.url, dataDir: null });
    await migrate(worker.db);
  });
  after(async () => {
    await worker?.close();
    await producer?.close();
    await server?.destroy();
  });

  it("survives the server ending an idle pooled connection", async () => {
    await sql`select 1`.execute(worker.db);
    // Ends every other connection, the worker's idle one included.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
               where pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(producer.db);
    await sleep(300);
    const { rows } = await sql<{ answer: number }>`select 42 as answer`.execute(worker.db);
    assert.deepEqual(rows, [{ answer: 42 }]);
  });

  it("keeps working, and listens again, after the server restarts", async () => {
    const received: number[] = [];
    // Polling alone would take a minute: only NOTIFY can wake this worker in time.
    const queue = new GloseMessageQueue(worker, { pollIntervalMs: 60_000, concurrency: 2 });
    const controller = new AbortController();
    const listening = queue.listen((message: { n: number }) => void received.push(message.n), { signal: controller.signal });
    try {
      const enqueuer = new GloseMessageQueue(producer);
      await enqueuer.enqueue({ n: 1 });
      await until("the first job is handled", () => received.length === 1, 10_000);

      await server.stop();
      await assert.rejects(enqueuer.enqueue({ n: 0 }), "an enqueue while the server is down fails, and can be caught");
      await sleep(500);
      await server.start();
      // Enqueued as soon as the server answers, perhaps before the worker listens again.
      await until("an enqueue goes through", () => enqueuer.enqueue({ n: 2 }).then(() => true, () => false), 10_000);
      await until("the job enqueued after the restart is handled", () => received.includes(2), 10_000);
      await sleep(500);
      await enqueuer.enqueue({ n: 3 });
      await until("a later job is handled", () => received.includes(3), 10_000);
      assert.deepEqual(received, [1, 2, 3]);
    } finally {
      controller.abort();
      await listening;
    }
  });
});
