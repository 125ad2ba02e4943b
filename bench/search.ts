// How fast search answers over many posts: fills a fresh database with N posts made from the
// French sample corpus, then times a few queries. Not part of the tests.
//
//   node bench/search.ts                 (embedded PGlite, N=20000)
//   DATABASE_URL=postgres://… N=20000 node bench/search.ts
import { readFile, rm, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../src/data/client.ts";
import { migrate } from "../src/data/migrate.ts";
import { searchPosts } from "../src/data/search.ts";

const count = Number(process.env.N ?? 20_000);
const url = process.env.DATABASE_URL ?? null;
const dataDir = url === null ? await mkdtemp(join(tmpdir(), "glose-bench-")) : null;
const database = await openDatabase({ url, dataDir });
await migrate(database.db);
await sql`truncate posts cascade`.execute(database.db);

const lines = (await readFile(new URL("../test/fixtures/sblog-posts.txt", import.meta.url), "utf8")).split("\n").filter((l) => l.trim());
const tags = ["politique", "tech", "médias", "économie", "fédivers", "sécurité"];
let started = performance.now();
for (let i = 0; i < count; i += 500) {
  const rows = Array.from({ length: Math.min(500, count - i) }, (_, j) => {
    const n = i + j;
    const line = lines[n % lines.length]!;
    return {
      id: `b${n.toString(36).padStart(7, "0")}`,
      title: line.slice(0, 80),
      comment: `${line} ${lines[(n * 7) % lines.length]}`,
      tags: [tags[n % tags.length]!],
      visibility: "public" as const,
      language: "fr",
      published_at: new Date(Date.UTC(2020, 0, 1) + n * 60_000),
    };
  });
  await database.db.insertInto("posts").values(rows).execute();
}
const insertSeconds = (performance.now() - started) / 1000;

const queries = ["pédopornographie", "capgemini police", '"police fédérale"', "#tech numérique", "#politique", "gouvernement -américaine"];
const results: string[] = [];
for (const query of queries) {
  await searchPosts(database.db, { query, visibilities: ["public"], limit: 20, language: "fr" });
  const rounds = 50;
  started = performance.now();
  let total = 0;
  for (let i = 0; i < rounds; i++) total = (await searchPosts(database.db, { query, visibilities: ["public"], limit: 20, language: "fr" })).total;
  const perSecond = rounds / ((performance.now() - started) / 1000);
  results.push(`| \`${query}\` | ${total} | ${perSecond.toFixed(0)} |`);
}
console.log(`${url === null ? "PGlite" : "PostgreSQL"}, ${count} posts, inserted in ${insertSeconds.toFixed(1)} s`);
console.log("| query | matches | queries/s |\n|---|---|---|");
console.log(results.join("\n"));
await database.close();
if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
