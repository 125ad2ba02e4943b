// Ingest: ACTIVITIES signed activities (Likes and replies, half each) from ACTORS actors of one
// loopback peer (bench/ingest-peer.ts: real draft-cavage signatures, actor documents served and
// their fetches counted) to Glose running in this process. Measures the accept rate (202s per
// second, as the peer sees them), the processing rate (likes and replies stored per second, from
// the first POST to the last row), Glose's CPU per activity, and how often each actor was
// fetched: once, however many activities it sends.
//   node_modules/.bin/node bench/ingest.ts
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres node_modules/.bin/node bench/ingest.ts
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { parseConfig } from "../src/config.ts";
import type { Db } from "../src/data/client.ts";
import { startGlose } from "../src/server.ts";
import { scratchDatabase } from "./scratch-database.ts";
import { freePort, OWNER, OWNER_PASSWORD } from "../test/helpers/processes.ts";

const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 2000);
const ACTORS = 50;
/** Enough posts that each actor likes each post at most once (a second Like of the same post is no new one). */
const POSTS = 40;
/** Connections the peer sends with, as a busy Mastodon's delivery workers would. */
const CONCURRENCY = 16;
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

export async function run(): Promise<string> {
  const sections = [`## Ingest: ${ACTIVITIES} signed activities from ${ACTORS} actors`, ""];
  sections.push(`${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, load average ${loadavg().map((n) => n.toFixed(1)).join(" ")} at the start.`, "");
  sections.push(
    "| database | accepted/s | processed/s | processed ÷ accepted (goal ≥ 80 %) | Glose CPU per activity | actor fetches (goal: one per actor) |",
    "|---|---:|---:|---:|---:|---:|",
  );
  sections.push(await measure(null));
  const url = process.env.BENCH_DATABASE_URL;
  if (url === undefined || url === "") sections.push("", "PostgreSQL skipped: BENCH_DATABASE_URL is not set.");
  else sections.push(await measure(url));
  return sections.join("\n");
}

export async function measure(adminUrl: string | null): Promise<string> {
  const scratch = await scratchDatabase(adminUrl, "ingest");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const glose = await startGlose(parseConfig({ ...scratch.env, PORT: String(port), ORIGIN: origin, ACCOUNT: OWNER, ADMIN_PASSWORD: OWNER_PASSWORD, ALLOW_PRIVATE_ADDRESS: "true", LOG_LEVEL: "warning" }));
  const peer = await startPeer();
  try {
    const posts = await addPosts(glose.database.db);
    const activities = Array.from({ length: ACTIVITIES }, (_, i) => activity(i, peer.origin, origin, posts));
    const profiler = await startProfiler();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await fetch(`${peer.origin}/control/send`, { method: "POST", body: JSON.stringify({ inbox: `${origin}/inbox`, activities, concurrency: CONCURRENCY }) });
    const processedMs = await waitUntilStored(glose.database.db, started);
    const sent = (await (await fetch(`${peer.origin}/control/sent`)).json()) as { ms: number; statuses: Record<string, number> };
    const used = process.cpuUsage(cpu);
    await profiler?.stop(`${scratch.kind}.cpuprofile`);
    if (sent.statuses["202"] !== ACTIVITIES) throw new Error(`not every activity was accepted: ${JSON.stringify(sent.statuses)}`);
    const fetches = Object.values((await (await fetch(`${peer.origin}/control/fetches`)).json()) as Record<string, number>).reduce((a, b) => a + b, 0);
    const accepted = ACTIVITIES / (sent.ms / 1000);
    const processed = ACTIVITIES / (processedMs / 1000);
    return `| ${scratch.kind} | ${Math.round(accepted)} | ${Math.round(processed)} | ${Math.round((processed / accepted) * 100)} % | ${((used.user + used.system) / 1000 / ACTIVITIES).toFixed(2)} ms | ${fetches} for ${ACTORS} |`;
  } finally {
    await peer.stop();
    await glose.stop();
    await scratch.drop();
  }
}

/** A Like of a post, or a public reply to it, by one of the peer's actors: no actor likes a post twice. */
function activity(i: number, peer: string, origin: string, posts: string[]): { actor: number; json: Record<string, unknown> } {
  const n = Math.floor(i / 2);
  const actorNumber = n % ACTORS;
  const note = `${origin}/p/${posts[Math.floor(n / ACTORS) % posts.length]}`;
  const actor = `${peer}/users/a${actorNumber}`;
  const context = "https://www.w3.org/ns/activitystreams";
  if (i % 2 === 0) return { actor: actorNumber, json: { "@context": context, id: `${peer}/likes/${i}`, type: "Like", actor, object: note } };
  const reply = {
    id: `${peer}/notes/${i}`,
    type: "Note",
    attributedTo: actor,
    inReplyTo: note,
    content: `<p>Réponse numéro ${i}, avec quelques mots.</p>`,
    published: new Date().toISOString(),
    to: [PUBLIC],
    cc: [`${actor}/followers`],
  };
  return { actor: actorNumber, json: { "@context": context, id: `${reply.id}/activity`, type: "Create", actor, to: [PUBLIC], cc: reply.cc, object: reply } };
}

async function addPosts(db: Db): Promise<string[]> {
  const rows = Array.from({ length: POSTS }, (_, k) => ({
    id: `ingest${k}`,
    url: `https://example.org/${k}`,
    title: `Lien ${k}`,
    comment: "Un commentaire.",
    comment_html: "<p>Un commentaire.</p>",
    tags: [],
    visibility: "public" as const,
    language: "fr",
    published_at: new Date(Date.UTC(2026, 0, 1) + k * 60_000),
  }));
  await db.insertInto("posts").values(rows).execute();
  return rows.map((row) => row.id);
}

/** Milliseconds from `started` until every activity is stored as a like or a reply. */
async function waitUntilStored(db: Db, started: number): Promise<number> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const { rows } = await sql<{ count: number }>`select ((select count(*) from reactions) + (select count(*) from replies))::int as count`.execute(db);
    if ((rows[0]?.count ?? 0) >= ACTIVITIES) return performance.now() - started;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]?.count} of ${ACTIVITIES} activities stored`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** With BENCH_PROFILE=folder, a CPU profile of the ingest alone (not the start-up) is written there. */
export async function startProfiler(): Promise<{ stop(name: string): Promise<void> } | null> {
  const folder = process.env.BENCH_PROFILE;
  if (folder === undefined) return null;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(name) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(join(folder, name), JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function startPeer(): Promise<{ origin: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [new URL("./ingest-peer.ts", import.meta.url).pathname], {
    env: { PATH: process.env.PATH ?? "", ACTORS: String(ACTORS), PEER_DEBUG: process.env.PEER_DEBUG ?? "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  const { origin } = JSON.parse(line.toString()) as { origin: string };
  return {
    origin,
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}


if (import.meta.main) console.log(await run());
