// Imports N bookmarks (10,000 by default) from a Netscape file made from the French sample
// corpus into an empty database, then exports them and makes a full backup, timing each step.
//   node_modules/.bin/node bench/import.ts [N]            (PGlite, in a temporary directory)
//   DATABASE_URL=postgres://… node_modules/.bin/node bench/import.ts [N]
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { sql } from "kysely";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { NETSCAPE_FOOTER, NETSCAPE_HEADER, netscapeEntry } from "../src/content/netscape-export.ts";
import { openDatabase } from "../src/data/client.ts";
import { migrate } from "../src/data/migrate.ts";
import { writeBackup } from "../src/services/backup.ts";
import { exportNetscape } from "../src/services/exporting.ts";
import { sourceFromBytes } from "../src/services/import-sources.ts";
import { importLinks } from "../src/services/importing.ts";

const count = Number(process.argv[2] ?? 10_000);
const url = process.env.DATABASE_URL ?? null;
const dataDir = url === null ? await mkdtemp(join(tmpdir(), "glose-bench-import-")) : null;
const database = await openDatabase({ url, dataDir });
const silent = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

try {
  await migrate(database.db);
  const lines = (await readFile(new URL("../test/fixtures/sblog-posts.txt", import.meta.url), "utf8")).split("\n").filter((line) => line.trim() !== "");
  const tags = ["politique", "tech", "médias", "économie", "fédivers", "sécurité"];
  const entries = Array.from({ length: count }, (_, k) =>
    netscapeEntry({
      url: `https://example.org/article/${k}`,
      title: lines[k % lines.length]!.slice(0, 80),
      description: `${lines[k % lines.length]}\n\n${lines[(k * 7 + 3) % lines.length]}`,
      tags: [tags[k % tags.length]!],
      createdAt: new Date(Date.UTC(2015, 0, 1) + k * 3_600_000),
      updatedAt: null,
      private: k % 10 === 0,
    }),
  );
  const file = Buffer.from(NETSCAPE_HEADER + entries.join("") + NETSCAPE_FOOTER);

  let started = performance.now();
  const cpu = process.cpuUsage();
  const serverCpu = await serverCpuSeconds();
  const report = await importLinks({ publishing: { db: database.db, federation: silent }, origin: "https://blog.example" }, sourceFromBytes(file).links, { duplicates: "skip" });
  const importMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const importCpu = (user + system) / 1e6;
  const importServerCpu = (await serverCpuSeconds()) - serverCpu;

  started = performance.now();
  let exported = 0;
  for await (const chunk of exportNetscape(database.db, "https://blog.example")) exported += Buffer.byteLength(chunk);
  const exportMs = performance.now() - started;

  started = performance.now();
  let archived = 0;
  await writeBackup(database.db, new Writable({ write: (chunk: Buffer, _encoding, done) => ((archived += chunk.length), done()) }));
  const backupMs = performance.now() - started;

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`${database.kind}, ${count} bookmarks, file ${mb(file.length)} MB`);
  console.log(`import: ${(importMs / 1000).toFixed(1)} s (${Math.round(count / (importMs / 1000))} links/s), ${JSON.stringify(report.counts)}`);
  // On a shared machine, CPU time says more than the wall clock.
  console.log(`import CPU: ${importCpu.toFixed(1)} s in this process${database.kind === "postgres" ? `, ${importServerCpu.toFixed(1)} s in PostgreSQL` : ""}`);
  console.log(`export: ${(exportMs / 1000).toFixed(1)} s, ${mb(exported)} MB`);
  console.log(`backup: ${(backupMs / 1000).toFixed(1)} s, ${mb(archived)} MB gzip'd`);
} finally {
  await database.close();
  if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
}

/** CPU time of this database's PostgreSQL backends, read from /proc (the server runs on this machine). */
async function serverCpuSeconds(): Promise<number> {
  if (database.kind !== "postgres") return 0;
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(database.db);
  let ticks = 0;
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}
