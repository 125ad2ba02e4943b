// A post to 10,000 followers on 1,000 inboxes (loopback servers in a child process), delivered by
// the queue in this process (one queue for every kind of work, four jobs at a time), with and
// without the deliveries table kept up to date; times from publishing until every inbox has the
// Create. Then times the tracking's own statements for such a fan-out alone: one insert of every
// inbox's row, and one upsert per delivery.
//   node_modules/.bin/node bench/deliveries.ts [inboxes] [followers per inbox]   (PGlite)
//   DATABASE_URL=postgres://… node_modules/.bin/node bench/deliveries.ts          (each run empties it first)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { parseConfig } from "../src/config.ts";
import { openDatabase } from "../src/data/client.ts";
import { migrate } from "../src/data/migrate.ts";
import { recordOutcome, recordQueued } from "../src/data/deliveries.ts";
import { createFederation } from "../src/federation/index.ts";
import { ensureKeyPairs } from "../src/federation/keys.ts";
import { GloseKvStore } from "../src/federation/kv-store.ts";
import { GloseMessageQueue } from "../src/federation/message-queue.ts";
import { createPostFederation } from "../src/federation/outbox.ts";
import { installOutgoingAgent } from "../src/remote/outgoing-http.ts";
import { createPost } from "../src/services/publishing.ts";
import { ensureConfiguredAccount } from "../src/services/setup.ts";
import { startInboxFarm } from "../test/helpers/inbox-farm.ts";

const inboxes = Number(process.argv[2] ?? 1000);
const perInbox = Number(process.argv[3] ?? 10);
const url = process.env.DATABASE_URL ?? null;
const config = parseConfig({ ORIGIN: "https://blog.example", ACCOUNT: "owner", ADMIN_PASSWORD: "correct horse", ALLOW_PRIVATE_ADDRESS: "true" });
installOutgoingAgent({ allowPrivateAddress: true });
const farm = await startInboxFarm({ count: inboxes });

async function run(tracking: boolean): Promise<{ ms: number; rows: number }> {
  const dataDir = url === null ? await mkdtemp(join(tmpdir(), "glose-bench-deliveries-")) : null;
  const database = await openDatabase({ url, dataDir });
  const abort = new AbortController();
  try {
    if (url !== null) await sql`drop schema public cascade; create schema public`.execute(database.db).catch(() => {});
    await migrate(database.db);
    await ensureConfiguredAccount(database.db, config);
    await ensureKeyPairs(database.db);
    const followers = farm.origins.flatMap((origin, server) =>
      Array.from({ length: perInbox }, (_, n) => ({
        actor_id: `${origin}/users/u${n}`,
        follow_id: `${origin}/follows/${n}`,
        inbox_url: `${origin}/users/u${n}/inbox`,
        shared_inbox_url: `${origin}/inbox`,
        handle: `@u${n}@server${server}.test`,
      })),
    );
    for (let k = 0; k < followers.length; k += 1000) await database.db.insertInto("followers").values(followers.slice(k, k + 1000)).execute();
    const queue = new GloseMessageQueue(database, { concurrency: 4 });
    const federation = createFederation({ config, kv: new GloseKvStore(database.db), queue, ...(tracking ? { db: database.db } : {}) });
    const contextData = { db: database.db, config };
    const worker = federation.startQueue(contextData, { signal: abort.signal });
    const before = (await farm.received()).length;
    const started = performance.now();
    const result = await createPost(
      { db: database.db, federation: createPostFederation(federation, contextData), origin: config.origin },
      { url: "https://example.org/", title: "Un lien", comment: "Pour tous.", tags: [], visibility: "public", language: "fr" },
    );
    if (!result.ok) throw new Error(`publishing failed: ${result.error}`);
    while ((await farm.received()).length < before + inboxes) await new Promise((resolve) => setTimeout(resolve, 50));
    const ms = performance.now() - started;
    abort.abort();
    await worker;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from deliveries where status = 'sent'`.execute(database.db);
    return { ms, rows: rows[0]?.n ?? 0 };
  } finally {
    abort.abort();
    await database.close();
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  }
}

/** The tracking's statements for one fan-out, without the deliveries themselves. */
async function trackingAlone(): Promise<{ queuedMs: number; outcomesMs: number }> {
  const dataDir = url === null ? await mkdtemp(join(tmpdir(), "glose-bench-deliveries-")) : null;
  const database = await openDatabase({ url, dataDir });
  try {
    if (url !== null) await sql`drop schema public cascade; create schema public`.execute(database.db).catch(() => {});
    await migrate(database.db);
    const keys = farm.origins.map((origin) => ({ activityId: "https://blog.example/p/abc/create", inbox: `${origin}/inbox`, postId: "abc", attempts: 0 }));
    let started = performance.now();
    await recordQueued(database.db, keys);
    const queuedMs = performance.now() - started;
    started = performance.now();
    for (const key of keys) await recordOutcome(database.db, { ...key, status: "sent", attempts: 1, error: null, statusCode: null });
    return { queuedMs, outcomesMs: performance.now() - started };
  } finally {
    await database.close();
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  }
}

try {
  console.log(`${inboxes * perInbox} followers on ${inboxes} inboxes, ${url === null ? "PGlite" : "PostgreSQL"}`);
  for (const tracking of [false, true, false, true]) {
    const { ms, rows } = await run(tracking);
    console.log(`${tracking ? "with tracking   " : "without tracking"}  ${(ms / 1000).toFixed(1)} s  (${Math.round((inboxes * 1000) / ms)} deliveries/s, ${rows} rows sent)`);
  }
  const alone = await trackingAlone();
  console.log(`tracking alone: ${inboxes} rows queued in ${alone.queuedMs.toFixed(0)} ms, ${inboxes} outcomes in ${alone.outcomesMs.toFixed(0)} ms`);
} finally {
  await farm.stop();
}
