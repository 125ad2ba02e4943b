// Migrations: a start with nothing to do asks one question and runs nothing, and a migration that
// arrives later (by name, before others already run) still runs.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { migrations } from "../../db/migrations/index.ts";
import { migrate } from "../../src/data/migrate.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

for (const backend of backends()) {
  describe(`migrations (${backend})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.drop());

    it("finds every migration applied and runs none again", async () => {
      assert.deepEqual(await migrate(database.db), []);
      const { rows } = await sql<{ name: string }>`select name from glose_migrations`.execute(database.db);
      assert.deepEqual(rows.map((row) => row.name).sort(), Object.keys(migrations).sort());
    });

    it("runs a migration missing from the record, even one named before others that ran", async () => {
      // This one may run twice: it only sets an index option and empties a list.
      const name = "2026-11-30-33-search-tag-index";
      assert.ok(name in migrations);
      await sql`delete from glose_migrations where name = ${name}`.execute(database.db);
      assert.deepEqual(await migrate(database.db), [name]);
      assert.deepEqual(await migrate(database.db), []);
    });
  });
}
