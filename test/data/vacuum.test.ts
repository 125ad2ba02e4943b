import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { vacuumWhereDue } from "../../src/data/vacuum.ts";
import { createTestDatabase } from "../helpers/database.ts";

// PGlite has no autovacuum; on PostgreSQL the server's own does this work.
describe("vacuuming the embedded database", () => {
  it("vacuums and analyzes the tables autovacuum would, so that deleted rows' space is used again", { timeout: 60_000 }, async () => {
    const database = await createTestDatabase("pglite");
    try {
      const { db } = database;
      const size = async () => (await sql<{ bytes: number }>`select pg_total_relation_size('fedify_queue')::float8 as bytes`.execute(db)).rows[0]!.bytes;
      // A burst of deliveries: 500 jobs queued, then done.
      const burst = async () => {
        await sql`insert into fedify_queue (message, kind, run_at)
                  select jsonb_build_object('n', n, 'body', (select string_agg(md5(random()::text || n || i), '') from generate_series(1, 30) i)), 'outbox', now()
                    from generate_series(1, 500) n`.execute(db);
        await sql`delete from fedify_queue`.execute(db);
      };
      const sizes: number[] = [];
      for (let round = 0; round < 4; round++) {
        await burst();
        sizes.push(await size());
        const report = await vacuumWhereDue(db);
        assert.ok(report.vacuumed.includes("fedify_queue"), `vacuumed ${report.vacuumed}`);
      }
      // Without vacuum, each burst would add its 500 rows' pages to the table for good.
      assert.ok(sizes.at(-1)! < 1.3 * sizes[0]!, `the queue went through ${sizes.join(", ")} bytes`);

      // Nothing changed since the last call: nothing to do.
      await vacuumWhereDue(db);
      assert.deepEqual(await vacuumWhereDue(db), { vacuumed: [], analyzed: [] });

      // Sixty new rows: new statistics, no vacuum yet.
      await sql`insert into fedify_kv (key, value) select array['test', n::text], '{}'::jsonb from generate_series(1, 60) n`.execute(db);
      assert.deepEqual(await vacuumWhereDue(db), { vacuumed: [], analyzed: ["fedify_kv"] });
    } finally {
      await database.drop();
    }
  });
});
