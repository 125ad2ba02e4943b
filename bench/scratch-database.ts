// A throwaway database for a benchmark's Glose: a PGlite folder, or a database on the PostgreSQL
// server that `adminUrl` names.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase } from "../src/data/client.ts";

export interface ScratchDatabase {
  readonly kind: "pglite" | "postgres";
  /** What Glose's environment needs to use it. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

export async function scratchDatabase(adminUrl: string | null, label: string): Promise<ScratchDatabase> {
  if (adminUrl === null) {
    const dataDir = await mkdtemp(join(tmpdir(), `glose-bench-${label}-`));
    return { kind: "pglite", env: { DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `glose_bench_${Date.now()}`;
  const admin = await openDatabase({ url: adminUrl, dataDir: null });
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    env: { DATABASE_URL: url.href },
    async drop() {
      const admin = await openDatabase({ url: adminUrl, dataDir: null });
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}
