// Fresh databases for tests: an embedded PGlite always, and a real PostgreSQL server too when
// TEST_DATABASE_URL names one (CI sets it). Each call gets a database of its own, already migrated.
import { createHash, randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../../src/data/client.ts";
import { migrate } from "../../src/data/migrate.ts";

export type BackendName = "pglite" | "postgres";

export interface TestDatabase extends Database {
  readonly backend: BackendName;
  /** Settings that make a Glose process open this same database. */
  readonly env: { DATABASE_URL?: string; DATA_DIR?: string };
  /** Closes and removes the database. */
  drop(): Promise<void>;
}

/** The backends this run tests against. */
export function backends(): BackendName[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export async function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  return backend === "pglite" ? createPGlite() : createPostgres();
}

/** A fresh, migrated database's settings for a Glose process, without opening it here. */
export async function createTestDatabaseEnv(backend: BackendName): Promise<{ env: TestDatabase["env"]; drop(): Promise<void> }> {
  const database = await createTestDatabase(backend);
  await database.close();
  return { env: database.env, drop: () => database.drop() };
}

async function createPostgres(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `glose_test_${randomBytes(6).toString("hex")}`;
  await runOnServer(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.href, dataDir: null });
  await migrate(database.db);
  return disposable(database, "postgres", { DATABASE_URL: url.href }, async () => {
    await runOnServer(adminUrl, `drop database if exists ${name} with (force)`);
  });
}

/** Runs one statement on the server at `url` (creating or dropping a database). */
export async function runOnServer(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A test database that closes once, however often asked, and is removed by drop(). */
function disposable(database: Database, backend: BackendName, env: TestDatabase["env"], remove: () => Promise<void>): TestDatabase {
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await database.close();
  };
  return {
    ...database,
    backend,
    env,
    close,
    async drop() {
      await close();
      await remove();
    },
  };
}

// Creating a PGlite cluster takes seconds; copying a migrated one takes a fraction of that.
let template: Promise<string> | undefined;

async function createPGlite(): Promise<TestDatabase> {
  template ??= pgliteTemplate();
  const dataDir = await mkdtemp(join(tmpdir(), "glose-test-"));
  await cp(await template, join(dataDir, "pglite"), { recursive: true });
  const database = await openDatabase({ url: null, dataDir });
  return disposable(database, "pglite", { DATA_DIR: dataDir }, () => rm(dataDir, { recursive: true, force: true }));
}

/** A migrated PGlite cluster shared by test processes, keyed by the migrations it ran. */
async function pgliteTemplate(): Promise<string> {
  const migrationsDir = new URL("../../db/migrations/", import.meta.url);
  const hash = createHash("sha256");
  for (const file of (await readdir(migrationsDir)).sort()) {
    hash.update(file).update(await readFile(new URL(file, migrationsDir)));
  }
  const dir = join(tmpdir(), `glose-pglite-template-${hash.digest("hex").slice(0, 16)}`);
  try {
    await readFile(join(dir, "PG_VERSION"));
    return dir;
  } catch {
    // Not built yet: build it aside, then move it into place in one step.
  }
  const building = await mkdtemp(join(tmpdir(), "glose-pglite-building-"));
  const database = await openDatabase({ url: null, dataDir: building });
  await migrate(database.db);
  await database.close();
  try {
    await rename(join(building, "pglite"), dir);
  } catch {
    // Another test process got there first; its template is as good.
  }
  await rm(building, { recursive: true, force: true });
  return dir;
}
