import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { migrations } from "../../db/migrations/index.ts";
import type { Db } from "./client.ts";

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<string[]> {
  // Most starts find nothing to do: one query says so, where the migrator takes a lock and
  // reads its tables in a transaction.
  if (await allApplied(db)) return [];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "glose_migrations",
    migrationLockTableName: "glose_migrations_lock",
    // Migrations written side by side land in any order; each stands alone, so a database that ran
    // a later-named one still runs an earlier-named one that arrived after it.
    allowUnorderedMigrations: true,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === "Error");
  if (error !== undefined) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? "(setup)"} failed: ${cause}`, { cause: error });
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}

async function allApplied(db: Db): Promise<boolean> {
  const { rows: [found] } = await sql<{ exists: boolean }>`select to_regclass('glose_migrations') is not null as exists`.execute(db);
  if (!found?.exists) return false;
  const { rows } = await sql<{ name: string }>`select name from glose_migrations`.execute(db);
  const applied = new Set(rows.map((row) => row.name));
  return Object.keys(migrations).every((name) => applied.has(name));
}
