// How fast search answers over many posts: fills a fresh database with N posts made from the
// French sample corpus, then times a few queries, one client, one after the other. Not a test.
//
//   node bench/search.ts                                          embedded PGlite in a temporary directory
//   TEST_DATABASE_URL=postgres://…/postgres node bench/search.ts   a throwaway database on that server
//   DATABASE_URL=postgres://…/scratch node bench/search.ts         an empty PostgreSQL database
//   N=20000 ROUNDS=100 node bench/search.ts
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { runOnServer } from "../test/helpers/database.ts";
import { openDatabase } from "../src/data/client.ts";
import { migrate } from "../src/data/migrate.ts";
import { searchPosts, type SearchOptions } from "../src/data/search.ts";
import { textArray } from "../src/data/sql-values.ts";

const count = Number(process.env.N ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 50);
const server = process.env.TEST_DATABASE_URL ?? null;
const scratch = server === null ? null : `glose_bench_${randomBytes(4).toString("hex")}`;
const onServer = (statement: string) => runOnServer(server!, statement);
if (scratch !== null) await onServer(`create database ${scratch}`);
const url = scratch !== null ? Object.assign(new URL(server!), { pathname: `/${scratch}` }).href : (process.env.DATABASE_URL ?? null);
const dataDir = url === null ? await mkdtemp(join(tmpdir(), "glose-bench-")) : null;
const database = await openDatabase({ url, dataDir });

try {
  await migrate(database.db);
  const { n } = await database.db.selectFrom("posts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  if (Number(n) > 0) throw new Error("The database already has posts: give the benchmark an empty one.");

  // Each post: a line of the corpus as title (80 characters) and commentary, plus another line,
  // so that posts differ; one tag of six; one post a minute. Made by the server from the corpus
  // lines, 10,000 a statement: the search trigger and the GIN index are the cost, not the transfer.
  const lines = (await readFile(new URL("../test/fixtures/sblog-posts.txt", import.meta.url), "utf8")).split("\n").filter((line) => line.trim() !== "");
  const tags = ["politique", "tech", "médias", "économie", "fédivers", "sécurité"];
  let started = performance.now();
  for (let i = 0; i < count; i += 10_000) {
    const last = Math.min(count, i + 10_000) - 1;
    await sql`
      insert into posts (id, title, comment, tags, visibility, language, published_at)
      select 'b' || lpad(k::text, 7, '0'), left(lines[k % ${lines.length} + 1], 80),
        lines[k % ${lines.length} + 1] || E'\n\n' || lines[(k * 7 + 3) % ${lines.length} + 1],
        array[tags[k % ${tags.length} + 1]], 'public', 'fr', timestamptz '2020-01-01 00:00:00Z' + k * interval '1 minute'
      from (select ${textArray(lines)} as lines, ${textArray(tags)} as tags) corpus, generate_series(${i}::int, ${last}::int) k`.execute(database.db);
  }
  const insertSeconds = (performance.now() - started) / 1000;
  // PostgreSQL's autovacuum would analyze the table soon; PGlite has none. Same footing for both.
  await sql`analyze posts`.execute(database.db);

  const queries: [string, Partial<SearchOptions>][] = [
    ["pédopornographie", {}],
    ["pédopornographie", { offset: 100 }],
    ["capgemini police", {}],
    ['"police fédérale"', {}],
    ["gouvernement -américaine", {}],
    ["#tech numérique", {}],
    ["#politique", {}],
    ["kazoo", {}],
  ];
  const table: string[] = [];
  for (const [query, extra] of queries) {
    const options: SearchOptions = { query, visibilities: ["public", "unlisted"], limit: 20, language: "fr", ...extra };
    const { total, totalIsLowerBound } = await searchPosts(database.db, options);
    const times: number[] = [];
    started = performance.now();
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await searchPosts(database.db, options);
      times.push(performance.now() - t);
    }
    const perSecond = rounds / ((performance.now() - started) / 1000);
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
    const label = `\`${query}\`${extra.offset ? ` (offset ${extra.offset})` : ""}`;
    table.push(`| ${label} | ${totalIsLowerBound ? "≥ " : ""}${total} | ${perSecond.toFixed(0)} | ${median.toFixed(1)} | ${p95.toFixed(1)} |`);
  }
  console.log(`${database.kind === "pglite" ? "PGlite" : "PostgreSQL"}, ${count} posts inserted in ${insertSeconds.toFixed(1)} s; ${cpus().length} cores; ${rounds} rounds a query`);
  console.log("| query | matches | queries/s | median ms | p95 ms |\n|---|---:|---:|---:|---:|");
  console.log(table.join("\n"));
} finally {
  await database.close();
  if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  if (scratch !== null) await onServer(`drop database if exists ${scratch} with (force)`);
}
