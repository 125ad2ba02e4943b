// A post to 1,000 followers behind 100 shared inboxes, while Glose (a real process, ROLE=all) is
// killed, or while its PostgreSQL server restarts. Each inbox must get the Create, with one
// activity id: exactly once, except the few deliveries in flight at a SIGKILL (at most the
// worker's concurrency), which are sent again with the same id (at least once, as ActivityPub
// servers expect: they deduplicate by activity id).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "../../src/data/client.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { startInboxFarm, type Delivery, type InboxFarm } from "../helpers/inbox-farm.ts";
import { postgresServerUnavailable, startPostgresServer, type PostgresServer } from "../helpers/postgres-server.ts";
import { ownerEnv, OWNER_PASSWORD, startGloseProcess, waitFor } from "../helpers/processes.ts";

const SERVERS = 100;
const FOLLOWERS_PER_SERVER = 10;
// Deliveries handled at once by a Glose process (DELIVERY_CONCURRENCY's default).
const CONCURRENCY = 32;

const unavailable = await postgresServerUnavailable();
if (unavailable !== null) console.log(`# skipping the fan-out resilience tests: ${unavailable}`);

describe("fan-out to 100 inboxes", { skip: unavailable ?? false, timeout: 120_000 }, () => {
  let postgresServer: PostgresServer;
  let farm: InboxFarm;

  before(async () => {
    postgresServer = await startPostgresServer();
    // Each delivery takes a moment, so that the fan-out is still going when the test strikes.
    farm = await startInboxFarm({ count: SERVERS, delayMs: 40 });
  });
  after(async () => {
    await farm?.stop();
    await postgresServer?.destroy();
  });

  /** A fresh database on the test's server, with the followers in it, and Glose's settings for it. */
  async function setUp(name: string): Promise<Record<string, string>> {
    const admin = await openDatabase({ url: postgresServer.url, dataDir: null });
    await sql.raw(`create database ${name}`).execute(admin.db);
    await admin.close();
    const url = new URL(postgresServer.url);
    url.pathname = `/${name}`;
    const env = await ownerEnv({ DATABASE_URL: url.href });
    // Glose migrates at start-up; the followers go in once it has.
    const glose = await startGloseProcess(env);
    await glose.stop();
    const database = await openDatabase({ url: url.href, dataDir: null });
    try {
      const rows = farm.origins.flatMap((origin, server) =>
        Array.from({ length: FOLLOWERS_PER_SERVER }, (_, n) => ({
          actor_id: `${origin}/users/u${n}`,
          follow_id: `${origin}/follows/${n}`,
          inbox_url: `${origin}/users/u${n}/inbox`,
          shared_inbox_url: `${origin}/inbox`,
          handle: `@u${n}@server${server}.test`,
        })),
      );
      await database.db.insertInto("followers").values(rows).execute();
    } finally {
      await database.close();
    }
    return env;
  }

  /** Waits until no job is left in the queue of the database Glose runs on. */
  async function queueEmptied(env: Record<string, string>): Promise<void> {
    const database = await openDatabase({ url: env.DATABASE_URL!, dataDir: null });
    try {
      await waitFor("an empty queue", async () => {
        const { count } = await database.db.selectFrom("fedify_queue").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
        return Number(count) === 0 ? true : undefined;
      }, 30_000);
    } finally {
      await database.close();
    }
  }

  /** The Creates of `noteId` each server received (accepted ones only). */
  async function creates(noteId: string): Promise<Map<number, Delivery[]>> {
    const byServer = new Map<number, Delivery[]>();
    for (const delivery of await farm.received()) {
      if (delivery.type !== "Create" || delivery.object !== noteId || delivery.status !== 202) continue;
      byServer.set(delivery.server, [...(byServer.get(delivery.server) ?? []), delivery]);
    }
    return byServer;
  }

  function assertEveryInboxOnce(byServer: Map<number, Delivery[]>, allowedRepeats: number): void {
    assert.equal(byServer.size, SERVERS, "every inbox got the Create");
    const ids = new Set([...byServer.values()].flat().map((delivery) => delivery.id));
    assert.equal(ids.size, 1, `one activity id: ${[...ids]}`);
    const repeated = [...byServer.values()].filter((deliveries) => deliveries.length > 1).length;
    console.log(`# ${repeated} of ${SERVERS} inboxes got the Create more than once`);
    assert.ok(repeated <= allowedRepeats, `${repeated} inboxes got the Create more than once`);
  }

  it("reaches every inbox after Glose is killed mid-fan-out and started again", async () => {
    const env = await setUp("crash");
    const glose = await startGloseProcess(env);
    let restarted: Awaited<ReturnType<typeof startGloseProcess>> | undefined;
    try {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const id = await admin.publish({ title: "Sent through a crash", comment: "Hello, 1,000 followers." });
      const noteId = `${glose.origin}/p/${id}`;
      await waitFor("a few deliveries", async () => ((await creates(noteId)).size >= 5 ? true : undefined), 30_000);
      await glose.kill();
      const before = (await creates(noteId)).size;
      assert.ok(before < SERVERS, `the fan-out was over (${before} inboxes) before the kill`);

      const started = Date.now();
      restarted = await startGloseProcess(env);
      await waitFor("every inbox", async () => ((await creates(noteId)).size === SERVERS ? true : undefined), 30_000);
      console.log(`# ${before} inboxes before the kill; all ${SERVERS} ${Date.now() - started} ms after the restart`);
      // A job the killed process had claimed runs again once its lease is over: count after that.
      await queueEmptied(env);
      assertEveryInboxOnce(await creates(noteId), CONCURRENCY);
    } finally {
      await glose.kill();
      await restarted?.stop();
    }
  });

  it("carries on, without a restart, when PostgreSQL restarts mid-fan-out", async () => {
    const env = await setUp("restart");
    const glose = await startGloseProcess(env);
    try {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const id = await admin.publish({ title: "Sent through a database restart", comment: "Still here." });
      const noteId = `${glose.origin}/p/${id}`;
      await waitFor("a few deliveries", async () => ((await creates(noteId)).size >= 5 ? true : undefined), 30_000);
      await postgresServer.stop();
      const before = (await creates(noteId)).size;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await postgresServer.start();
      assert.ok(before < SERVERS, `the fan-out was over (${before} inboxes) before the restart`);

      await waitFor("every inbox", async () => ((await creates(noteId)).size === SERVERS ? true : undefined), 30_000);
      assert.equal((await fetch(`${glose.origin}/healthz`)).status, 200);
      // A job whose outcome could not be recorded while the server was down may run twice.
      await queueEmptied(env);
      assertEveryInboxOnce(await creates(noteId), CONCURRENCY);

      // Posting works again, through the same process.
      const next = await admin.publish({ title: "After the restart", comment: "And again." });
      const nextId = `${glose.origin}/p/${next}`;
      await waitFor("every inbox, again", async () => ((await creates(nextId)).size === SERVERS ? true : undefined), 30_000);
    } finally {
      await glose.stop();
    }
  });
});
