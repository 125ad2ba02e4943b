// A full backup as one gzip'd JSON Lines archive: a manifest (format, creation date, the applied
// migrations as the schema version), then each table in dependency order, a header line naming
// its columns followed by its rows in primary key order. Restoring it into an empty Glose gives
// back the same actor, followers and posts; backing that up again gives the same archive.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { Db } from "../data/client.ts";
import { migrate } from "../data/migrate.ts";
import {
  appliedMigrations,
  countRows,
  deleteAllRows,
  insertRows,
  listTables,
  readRows,
  resetSequences,
  type TableInfo,
} from "../data/table-rows.ts";

export const BACKUP_FORMAT = "glose-backup";
const BACKUP_VERSION = 1;

/** Work in progress, secrets of the moment and caches of the login throttle: not the blog's data. */
const NEVER_BACKED_UP = new Set([
  "fedify_queue",
  "fedify_queue_parts",
  "sessions",
  "login_failures",
  "known_devices",
  "import_jobs",
  // Derived from the posts by the database itself as they are restored.
  "tag_spellings",
  "glose_migrations",
  "glose_migrations_lock",
]);
/** The private keys: in a backup only when the owner asks. */
const KEY_TABLE = "key_pairs";
/** Tables whose rows make a Glose non-empty (an account and keys alone are what a fresh start makes). */
const CONTENT_TABLES = ["posts", "followers", "replies", "reactions", "media"];

export type BackupErrorCode = "not-backup" | "unknown-version" | "newer" | "not-empty" | "unknown-table" | "unknown-columns" | "rows-before-table";

/** A backup that cannot be restored: an English message (the CLI's), a code and what it names, for the admin. */
export class BackupError extends Error {
  override name = "BackupError";
  readonly code: BackupErrorCode;
  /** What the message names: migrations, a table, columns; "" when nothing. */
  readonly detail: string;
  constructor(code: BackupErrorCode, message: string, detail = "") {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

interface Manifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: number;
  readonly created_at: string;
  readonly migrations: readonly string[];
  readonly keys: boolean;
}

/** Writes the archive; reads one consistent snapshot, so it is safe while Glose serves. */
export async function writeBackup(db: Db, output: NodeJS.WritableStream, options: { keys?: boolean; now?: Date } = {}): Promise<void> {
  await db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      const excluded = new Set(NEVER_BACKED_UP);
      if (!options.keys) excluded.add(KEY_TABLE);
      const tables = await listTables(trx, excluded);
      const manifest: Manifest = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        created_at: (options.now ?? new Date()).toISOString(),
        migrations: await appliedMigrations(trx),
        keys: options.keys ?? false,
      };
      async function* lines(): AsyncGenerator<string> {
        yield `${JSON.stringify(manifest)}\n`;
        for (const table of tables) {
          yield `${JSON.stringify({ table: table.name, columns: table.columns })}\n`;
          for await (const row of readRows(trx, table)) yield `${row}\n`;
        }
      }
      await pipeline(Readable.from(lines()), createGzip(), output);
    });
}

export interface RestoreReport {
  readonly tables: number;
  readonly rows: number;
}

/**
 * Restores an archive in one transaction, after bringing the schema up to date. Refuses a Glose
 * that already has posts or followers unless `force`, and an archive from a newer Glose.
 */
export async function restoreBackup(db: Db, input: NodeJS.ReadableStream, options: { force?: boolean } = {}): Promise<RestoreReport> {
  await migrate(db);
  const known = new Set(await appliedMigrations(db));
  const gunzip = createGunzip();
  input.on("error", (error: Error) => gunzip.destroy(error));
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity })[Symbol.asyncIterator]();
  let manifest: Manifest;
  try {
    const first = await lines.next();
    manifest = JSON.parse(first.done ? "" : first.value) as Manifest;
  } catch {
    throw new BackupError("not-backup", "not a Glose backup (it must be a gzip'd archive made by `npm run backup`)");
  }
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== BACKUP_VERSION) throw new BackupError("unknown-version", "not a Glose backup of a known version");
  const newer = manifest.migrations.filter((name) => !known.has(name));
  if (newer.length > 0) throw new BackupError("newer", `the backup comes from a newer Glose (migrations ${newer.join(", ")}): update first`, newer.join(", "));

  return await db.transaction().execute(async (trx) => {
    if (!options.force) {
      for (const table of CONTENT_TABLES) {
        if ((await countRows(trx, table)) > 0) throw new BackupError("not-empty", `this Glose already has ${table}: restore into an empty one, or use --force`, table);
      }
    }
    const excluded = new Set(NEVER_BACKED_UP);
    if (!manifest.keys) excluded.add(KEY_TABLE);
    const ordered = await listTables(trx, excluded);
    // What a fresh start made (the account, keys if the archive has some) gives way to the archive's.
    for (const { name } of [...ordered].reverse()) await deleteAllRows(trx, name);
    const tables = new Map(ordered.map((table) => [table.name, table]));
    const restored: TableInfo[] = [];
    let table: TableInfo | undefined;
    let columns: string[] = [];
    let batch: string[] = [];
    let rows = 0;
    const flush = async () => {
      if (table !== undefined) await insertRows(trx, table.name, columns, batch);
      rows += batch.length;
      batch = [];
    };
    for (;;) {
      const next = await lines.next();
      if (next.done) break;
      const line = next.value;
      if (line.startsWith('{"table":')) {
        await flush();
        const header = JSON.parse(line) as { table: string; columns: string[] };
        table = tables.get(header.table);
        if (table === undefined) throw new BackupError("unknown-table", `the backup has a table this Glose does not know: ${header.table}`, header.table);
        const unknown = header.columns.filter((column) => !table!.columns.includes(column));
        if (unknown.length > 0) throw new BackupError("unknown-columns", `the backup's ${header.table} has columns this Glose does not know: ${unknown.join(", ")}`, `${header.table}: ${unknown.join(", ")}`);
        columns = header.columns;
        restored.push(table);
      } else if (line !== "") {
        if (table === undefined) throw new BackupError("rows-before-table", "the backup has rows before any table");
        batch.push(line);
        if (batch.length >= 500) await flush();
      }
    }
    await flush();
    for (const restoredTable of restored) await resetSequences(trx, restoredTable.name);
    return { tables: restored.length, rows };
  });
}
