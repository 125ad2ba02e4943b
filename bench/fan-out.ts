// One post to 10,000 followers behind 1,000 shared inboxes, each a loopback server that checks
// the HTTP signature (test/helpers/inbox-farm.ts). Measures Glose from the publish to the last
// accepted delivery, the CPU this process spent per delivery (Glose, and PGlite when embedded),
// and the ceiling: a bare loop of the same signed POSTs with the same concurrency, in the same run.
// On PostgreSQL (BENCH_DATABASE_URL), it also times one web process with one and two workers.
// BENCH_PROFILE=folder writes there a CPU profile of each in-process fan-out (not the start-up).
//   node_modules/.bin/node bench/fan-out.ts
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres node_modules/.bin/node bench/fan-out.ts
import { loadavg } from "node:os";
import { exportJwk, signRequest } from "@fedify/fedify";
import { parseConfig } from "../src/config.ts";
import { openDatabase, type Database } from "../src/data/client.ts";
import { loadKeyPairs } from "../src/federation/keys.ts";
import { startGlose } from "../src/server.ts";
import { scratchDatabase } from "./scratch-database.ts";
import { startProfiler } from "./ingest.ts";
import { AdminClient } from "../test/helpers/admin-client.ts";
import { startInboxFarm, type InboxFarm } from "../test/helpers/inbox-farm.ts";
import { freePort, OWNER, OWNER_PASSWORD, startGloseProcess, startWorkerProcess } from "../test/helpers/processes.ts";

const SERVERS = Number(process.env.BENCH_SERVERS ?? 1000);
const FOLLOWERS_PER_SERVER = 10;
const CONCURRENCY = 32;
/** How long the slower servers take to answer, as servers across the Internet do. */
const SLOW_SERVER_MS = 300;

interface Measure {
  readonly ms: number;
  readonly cpuMs: number;
}

export async function run(): Promise<string> {
  const sections = [`## Fan-out: one post to ${SERVERS * FOLLOWERS_PER_SERVER} followers on ${SERVERS} shared inboxes`, ""];
  sections.push(`${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, load average ${loadavg()[0]!.toFixed(1)} at the start.`, "");
  sections.push("| database | processes | deliveries | Glose | deliveries/s | CPU per delivery | bare signed-POST loop | ratio |", "|---|---|---:|---:|---:|---:|---:|---:|");
  sections.push(await inProcess(null));
  const url = process.env.BENCH_DATABASE_URL;
  if (url === undefined || url === "") {
    sections.push("", "PostgreSQL skipped: BENCH_DATABASE_URL is not set.");
  } else {
    sections.push(await inProcess(url));
    for (const delayMs of [0, SLOW_SERVER_MS]) for (const workers of [1, 2]) sections.push(await splitProcesses(url, workers, delayMs));
  }
  return sections.join("\n");
}

/** Glose in this process (ROLE=all), so that its CPU time is measured. */
export async function inProcess(adminUrl: string | null): Promise<string> {
  const scratch = await scratchDatabase(adminUrl, "fan-out");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const glose = await startGlose(parseConfig({ ...scratch.env, PORT: String(port), ORIGIN: origin, ACCOUNT: OWNER, ADMIN_PASSWORD: OWNER_PASSWORD, ALLOW_PRIVATE_ADDRESS: "true" }));
  let farm: InboxFarm | undefined;
  try {
    const key = await ownerKey(glose.database, origin);
    farm = await startInboxFarm({ count: SERVERS, key: { keyId: key.keyId.href, jwk: key.publicJwk } });
    await warmUp(origin);
    await addFollowers(glose.database, farm);
    const bare = await bareLoop(farm, key);
    const profiler = await startProfiler();
    const measured = await publishAndWait(origin, farm);
    await profiler?.stop(`fan-out-${scratch.kind}.cpuprofile`);
    return row(scratch.kind, "1 (web and worker)", measured, bare);
  } finally {
    await farm?.stop();
    await glose.stop();
    await scratch.drop();
  }
}

/**
 * One ROLE=web process and `workers` ROLE=worker processes over PostgreSQL: wall time only. With
 * servers answering at once, the two cores are the limit whatever the workers; with servers that
 * take `delayMs` to answer, each worker's delivery places are, and a second worker adds its own.
 */
export async function splitProcesses(adminUrl: string, workers: number, delayMs: number): Promise<string> {
  const scratch = await scratchDatabase(adminUrl, "fan-out");
  const port = await freePort();
  const env = { ...scratch.env, PORT: String(port), ORIGIN: `http://127.0.0.1:${port}`, ACCOUNT: OWNER, ADMIN_PASSWORD: OWNER_PASSWORD, ALLOW_PRIVATE_ADDRESS: "true" } as Record<string, string>;
  const web = await startGloseProcess({ ...env, ROLE: "web" });
  const started = [];
  let farm: InboxFarm | undefined;
  try {
    const database = await openDatabase({ url: env.DATABASE_URL!, dataDir: null });
    try {
      const key = await ownerKey(database, web.origin);
      farm = await startInboxFarm({ count: SERVERS, key: { keyId: key.keyId.href, jwk: key.publicJwk }, delayMs });
      await addFollowers(database, farm);
    } finally {
      await database.close();
    }
    for (let n = 0; n < workers; n++) started.push(await startWorkerProcess(env));
    const measured = await publishAndWait(web.origin, farm);
    const servers = delayMs === 0 ? "" : `, servers answering in ${delayMs} ms`;
    return row("postgres", `web + ${workers} worker${workers > 1 ? "s" : ""}${servers}`, { ms: measured.ms, cpuMs: Number.NaN }, null);
  } finally {
    await farm?.stop();
    for (const worker of started) await worker.stop();
    await web.stop();
    await scratch.drop();
  }
}

async function ownerKey(database: Database, origin: string) {
  const [rsa] = await loadKeyPairs(database.db);
  if (rsa === undefined) throw new Error("no RSA key");
  return { privateKey: rsa.privateKey, publicJwk: await exportJwk(rsa.publicKey), keyId: new URL(`${origin}/users/${OWNER}#main-key`) };
}

async function addFollowers(database: Database, farm: InboxFarm): Promise<void> {
  const rows = farm.origins.flatMap((origin, server) =>
    Array.from({ length: FOLLOWERS_PER_SERVER }, (_, n) => ({
      actor_id: `${origin}/users/u${n}`,
      follow_id: `${origin}/follows/${n}`,
      inbox_url: `${origin}/users/u${n}/inbox`,
      shared_inbox_url: `${origin}/inbox`,
      handle: `@u${n}@server${server}.test`,
    })),
  );
  for (let i = 0; i < rows.length; i += 1000) await database.db.insertInto("followers").values(rows.slice(i, i + 1000)).execute();
}

/** The same number of signed POSTs of a Create of the same size, CONCURRENCY at a time. */
async function bareLoop(farm: InboxFarm, key: Awaited<ReturnType<typeof ownerKey>>): Promise<Measure> {
  const body = JSON.stringify({
    "@context": ["https://www.w3.org/ns/activitystreams"],
    id: `${key.keyId.origin}/p/bare/create`,
    type: "Create",
    actor: `${key.keyId.origin}/users/${OWNER}`,
    object: { id: `${key.keyId.origin}/p/bare`, type: "Note", content: "<p>A link and a few words</p>".repeat(8) },
  });
  let next = 0;
  return await measure(async () => {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < farm.origins.length) {
          const inbox = `${farm.origins[next++]}/inbox`;
          const request = new Request(inbox, { method: "POST", body, headers: { "Content-Type": "application/activity+json" } });
          const response = await fetch(await signRequest(request, key.privateKey, key.keyId, { spec: "rfc9421" }));
          await response.body?.cancel();
          if (response.status !== 202) throw new Error(`bare POST answered ${response.status}`);
        }
      }),
    );
  });
}

/** A first post, to no one: what a first publish loads once per process (language tables) is not counted. */
async function warmUp(origin: string): Promise<void> {
  const admin = new AdminClient(origin);
  await admin.logIn(OWNER_PASSWORD);
  await admin.publish({ url: "https://example.org/warm-up", title: "Warm-up", comment: "Before any follower." });
}

async function publishAndWait(origin: string, farm: InboxFarm): Promise<Measure> {
  const admin = new AdminClient(origin);
  await admin.logIn(OWNER_PASSWORD);
  return await measure(async () => {
    const id = await admin.publish({ url: "https://example.org/fan-out", title: "Fan-out", comment: "To every follower." });
    const note = `${origin}/p/${id}`;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const accepted = new Set((await farm.received()).filter((d) => d.object === note && d.status === 202).map((d) => d.server));
      if (accepted.size === farm.origins.length) return;
      if (Date.now() > deadline) throw new Error(`only ${accepted.size} inboxes got the post`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

async function measure(work: () => Promise<void>): Promise<Measure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function row(kind: string, processes: string, glose: Measure, bare: Measure | null): string {
  const perDelivery = Number.isNaN(glose.cpuMs) ? "—" : `${(glose.cpuMs / SERVERS).toFixed(2)} ms`;
  const bareText = bare === null ? "—" : `${(bare.ms / 1000).toFixed(2)} s (${(bare.cpuMs / SERVERS).toFixed(2)} ms CPU each)`;
  const ratio = bare === null ? "—" : `${Math.round((bare.ms / glose.ms) * 100)} %`;
  return `| ${kind} | ${processes} | ${SERVERS} | ${(glose.ms / 1000).toFixed(2)} s | ${Math.round(SERVERS / (glose.ms / 1000))} | ${perDelivery} | ${bareText} | ${ratio} |`;
}


if (import.meta.main) console.log(await run());
