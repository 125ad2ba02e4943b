// Opens Glose's database: PostgreSQL through postgres.js when a URL is given, PGlite otherwise.
// Both speak the same SQL, so the rest of the code never asks which one it has.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Schema } from "../../db/schema.ts";
import { PGliteDialect } from "./pglite-dialect.ts";

export type Db = Kysely<Schema>;

export interface Database {
  readonly db: Db;
  readonly kind: "postgres" | "pglite";
  /** Calls `onNotify` on each NOTIFY on `channel`; resolves to a function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`, or null for the embedded database. */
  readonly url: string | null;
  /** Where the embedded database keeps its files; null keeps it in memory. */
  readonly dataDir: string | null;
  /** Connections in the pool (PostgreSQL only). */
  readonly poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url === null ? openPGlite(options.dataDir) : openPostgres(options.url, options.poolSize ?? 10);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const sql = postgres(url, {
    max: poolSize,
    connect_timeout: 10,
    onnotice: () => {},
    // int8 (counts, serial ids) as numbers, as PGlite returns them.
    types: { bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) } },
  });
  const db = new Kysely<Schema>({ dialect: new PostgresJSDialect({ postgres: sql }) });
  return {
    db,
    kind: "postgres",
    async listen(channel, onNotify) {
      const { unlisten } = await sql.listen(channel, () => onNotify());
      return unlisten;
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPGlite(dataDir: string | null): Promise<Database> {
  let pglite: PGlite;
  if (dataDir === null) {
    pglite = await PGlite.create({ extensions: { unaccent } });
  } else {
    const dir = join(dataDir, "pglite");
    await mkdir(dir, { recursive: true });
    pglite = await PGlite.create(dir, { extensions: { unaccent } });
  }
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: "pglite",
    async listen(channel, onNotify) {
      return await pglite.listen(channel, () => onNotify());
    },
    async close() {
      if (pglite.closed) return;
      await db.destroy();
      await pglite.close();
    },
  };
}
