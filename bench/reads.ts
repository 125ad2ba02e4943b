// Reads: CPU time per request of a Glose child process (from /proc) under 50 concurrent
// connections, against a bare Hono app answering 1 KB measured in the same run, rounds alternating,
// on PGlite and on PostgreSQL (BENCH_DATABASE_URL: a server where a scratch database is made);
// resident memory under the load and after it; first start and restart times.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, get } from "node:http";
import { createServer } from "node:net";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../src/data/client.ts";
import { migrate } from "../src/data/migrate.ts";

const POSTS = Number(process.env.BENCH_POSTS ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000);
const ROUNDS = 3;
const WARM_UP = 500;
const CONNECTIONS = 50;
const ROOT = new URL("../", import.meta.url);
const TICK_MS = 10; // USER_HZ is 100 on Linux
const JSON_LD = "application/activity+json";
const BARE_HONO = `import { serve } from "@hono/node-server"; import { Hono } from "hono";
const body = "x".repeat(1024); const app = new Hono(); app.get("*", (c) => c.text(body));
serve({ fetch: app.fetch, port: Number(process.env.PORT) });`;

export async function run(): Promise<string> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, Linux ${release()}, Node ${process.version}`;
  const sections = [`## Reads, ${new Date().toISOString()}`, "", `${machine}; load average ${loadavg().map((n) => n.toFixed(2)).join(" ")} at the start.`, "", `${POSTS} posts; ${ROUNDS} rounds of ${REQUESTS} requests per figure, ${CONNECTIONS} connections, alternating with the bare Hono ceiling. CPU is the server process's own, all threads, from the scheduler's count (/proc/PID/task/*/schedstat).`];
  sections.push(await backend("PGlite", null));
  const admin = process.env.BENCH_DATABASE_URL;
  if (admin === undefined) {
    console.log("PostgreSQL skipped: BENCH_DATABASE_URL is not set");
    sections.push("### PostgreSQL\n\nSkipped: BENCH_DATABASE_URL is not set.");
  } else {
    const name = `glose_bench_${randomBytes(4).toString("hex")}`;
    const adminDb = await openDatabase({ url: admin, dataDir: null });
    await sql`create database ${sql.id(name)}`.execute(adminDb.db);
    try {
      const url = new URL(admin);
      url.pathname = `/${name}`;
      sections.push(await backend("PostgreSQL", url.href));
    } finally {
      await sql`drop database ${sql.id(name)} with (force)`.execute(adminDb.db);
      await adminDb.close();
    }
  }
  sections.push("", `Load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(" ")}.`);
  return sections.join("\n");
}

async function backend(label: string, url: string | null): Promise<string> {
  console.log(`${label}: filling ${POSTS} posts`);
  const dataDir = url === null ? await mkdtemp(join(tmpdir(), "glose-bench-reads-")) : null;
  const env = { DATA_DIR: dataDir ?? "", ...(url === null ? {} : { DATABASE_URL: url }) };
  try {
    const first = await startGlose(env);
    const pgliteOwn = url === null ? `, of which PGlite's own initialisation of an empty data directory, measured alone, takes ${await pgliteInitMs()} ms` : "";
    const firstStart = `${first.startMs} ms (${first.startCpuMs} ms of CPU${pgliteOwn})`;
    await first.stop();
    const ids = await fill(url, dataDir);
    const restarted = await startGlose(env);
    const lines = [`### ${label}`, "", `Time to the first answer: first start (empty database, migrations, keys) ${firstStart}; restart with ${POSTS} posts ${restarted.startMs} ms (${restarted.startCpuMs} ms of CPU).`, ""];
    const hono = await startProcess(["--input-type=module", "-e", BARE_HONO], {});
    try {
      const idle = rss(restarted.child.pid!);
      const origin = restarted.origin;
      const targets: [string, string, string, number][] = [
        ["actor", "/users/owner", JSON_LD, 0.5],
        ["Note", `/p/${ids[0]}`, JSON_LD, 0.5],
        ["WebFinger", `/.well-known/webfinger?resource=acct:owner@${new URL(origin).host}`, "application/jrd+json", 0.5],
        ["NodeInfo", "/nodeinfo/2.1", "application/json", 0.5],
        ["outbox, first page", "/users/owner/outbox?cursor=", JSON_LD, 0.5],
        ["outbox, deep page", `/users/owner/outbox?cursor=${encodeURIComponent(ids.at(-1)!)}`, JSON_LD, 0.5],
        ["home page", "/", "text/html", 0.25],
        ["permalink", `/p/${ids[0]}`, "text/html", 0.25],
        ["tag page", "/tags/tech", "text/html", 0.25],
        ["Atom feed", "/feed.atom", "application/atom+xml", 0.25],
      ];
      lines.push("| Request | Glose CPU/request | Hono CPU/request | Ratio (goal) | p99, 50 connections |", "| --- | --- | --- | --- | --- |");
      let peak = idle;
      for (const [name, path, accept, goal] of targets) {
        const figure = await compare(restarted, hono, path, accept);
        peak = Math.max(peak, rss(restarted.child.pid!));
        const ratio = figure.hono / figure.glose;
        lines.push(`| ${name} | ${us(figure.glose)} | ${us(figure.hono)} | ${ratio.toFixed(2)} (≥ ${goal}) ${ratio >= goal ? "✓" : "✗"} | ${figure.p99.toFixed(1)} ms |`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      lines.push("", `Resident memory: ${mb(idle)} MB idle after start, ${mb(peak)} MB at most under the load, ${mb(rss(restarted.child.pid!))} MB 5 s after it (bare Hono: ${mb(rss(hono.child.pid!))} MB).`);
      return lines.join("\n");
    } finally {
      await hono.stop();
      await restarted.stop();
    }
  } finally {
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Interleaved rounds: Hono, Glose, Hono, Glose… CPU per request of each, and Glose's p99. */
async function compare(glose: Running, hono: Running, path: string, accept: string) {
  const cpu = { glose: 0, hono: 0 };
  const latencies: number[] = [];
  // Warm: the cache filled, the code paths compiled by the JIT.
  await load(glose.origin + path, accept, WARM_UP, []);
  await load(hono.origin + path, accept, WARM_UP, []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, target] of [["hono", hono], ["glose", glose]] as const) {
      const before = cpuMs(target.child.pid!);
      await load(target.origin + path, accept, REQUESTS, name === "glose" ? latencies : []);
      cpu[name] += cpuMs(target.child.pid!) - before;
    }
  }
  latencies.sort((a, b) => a - b);
  return { glose: cpu.glose / (ROUNDS * REQUESTS), hono: cpu.hono / (ROUNDS * REQUESTS), p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

/**
 * `count` GETs over CONNECTIONS keep-alive connections, asking for compression as servers and
 * browsers do; the bytes are read, not decompressed: the client's own work is not what is
 * measured, and on two cores it would take the CPU the servers need.
 */
async function load(url: string, accept: string, count: number, latencies: number[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const headers = { accept, "accept-encoding": "br, gzip, deflate" };
  let next = 0;
  const worker = async () => {
    while (next++ < count) {
      const started = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        get(url, { agent, headers }, (response) => {
          response.on("data", () => {});
          response.on("end", () => resolve(response.statusCode ?? 0));
          response.on("error", reject);
        }).on("error", reject);
      });
      if (status !== 200) throw new Error(`${url}: ${status}`);
      latencies.push(performance.now() - started);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  } finally {
    agent.destroy();
  }
}

async function fill(url: string | null, dataDir: string | null): Promise<string[]> {
  const database = await openDatabase({ url, dataDir });
  try {
    await migrate(database.db);
    const tags = ["politique", "tech", "médias", "économie", "fédivers", "sécurité"];
    const ids: string[] = [];
    for (let i = 0; i < POSTS; i += 500) {
      const rows = Array.from({ length: Math.min(500, POSTS - i) }, (_, j) => {
        const k = i + j;
        return {
          id: `b${k.toString(36).padStart(7, "0")}`,
          url: `https://example.org/${k}`,
          title: `Lien numéro ${k}`,
          comment: `Un commentaire sur le lien ${k}, avec quelques mots de plus pour lui donner du corps.`,
          comment_html: `<p>Un commentaire sur le lien ${k}, avec quelques mots de plus pour lui donner du corps.</p>`,
          tags: [tags[k % tags.length]!],
          visibility: "public" as const,
          language: "fr",
          pinned: k % 5000 === 0,
          published_at: new Date(Date.UTC(2020, 0, 1) + k * 60_000),
        };
      });
      await database.db.insertInto("posts").values(rows).execute();
      ids.push(...rows.map((row) => row.id));
    }
    await sql`analyze posts`.execute(database.db);
    // Newest first; the deep page's cursor is an old post's.
    const oldest = await database.db.selectFrom("posts").select(["id", "published_at"]).orderBy("published_at").limit(1).executeTakeFirstOrThrow();
    return [ids.at(-1)!, `${oldest.published_at.toISOString()}|${oldest.id}`];
  } finally {
    await database.close();
  }
}

interface Running {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly startMs: number;
  /** CPU time the process took until it answered (on a busy machine, wall time says little). */
  readonly startCpuMs: number;
  stop(): Promise<void>;
}

async function startGlose(env: Record<string, string>): Promise<Running> {
  return await startProcess(["src/main.ts"], { ...env, ACCOUNT: "owner", ADMIN_PASSWORD: "a bench password", LOG_LEVEL: "warning" });
}

async function startProcess(args: string[], env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port), ORIGIN: origin }, stdio: ["ignore", "ignore", "inherit"] });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${origin}/healthz`)).status > 0) break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const startMs = Math.round(performance.now() - started);
  return {
    child,
    origin,
    startMs,
    startCpuMs: cpuTicks(child.pid!) * TICK_MS,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The time PGlite alone takes to create and open a new data directory, in a process of its own. */
async function pgliteInitMs(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "glose-bench-pglite-"));
  // Opened as Glose opens it, without the migrations and the rest of Glose's start.
  const script = `import { openDatabase } from "./src/data/client.ts";
const started = performance.now(); const database = await openDatabase({ url: null, dataDir: process.env.DIR });
console.log(Math.round(performance.now() - started)); await database.close();`;
  try {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", DIR: dir }, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => child.once("exit", resolve));
    return Number(output.trim());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time of the process's threads, in ms, to the nanosecond (the scheduler's own count in
 * /proc/PID/task/TID/schedstat): a round of cached answers lasts a few 10 ms ticks only.
 */
function cpuMs(pid: number): number {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nanoseconds / 1e6;
}

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
