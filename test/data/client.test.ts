import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { openDatabase } from "../../src/data/client.ts";
import { backends, createTestDatabase, createTestDatabaseEnv } from "../helpers/database.ts";

describe("embedded database", () => {
  // PGlite's own default, 128 MB, would stay resident for the life of the process.
  it("keeps a small page cache by default, and the one asked for", async () => {
    const { env, drop } = await createTestDatabaseEnv("pglite");
    const sharedBuffers = async (embeddedBuffersMb?: number) => {
      const database = await openDatabase({ url: null, dataDir: env.DATA_DIR!, embeddedBuffersMb });
      try {
        const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(database.db);
        return rows[0]?.shared_buffers;
      } finally {
        await database.close();
      }
    };
    try {
      assert.equal(await sharedBuffers(), "16MB");
      assert.equal(await sharedBuffers(48), "48MB");
    } finally {
      await drop();
    }
  });
});

for (const backend of backends()) {
  describe(`database (${backend})`, () => {
    it("is migrated and runs French full-text search", async () => {
      const database = await createTestDatabase(backend);
      try {
        const { rows } = await sql<{ match: boolean; n: number }>`
          select to_tsvector('french', 'pédopornographiques') @@ plainto_tsquery('french', 'pédopornographie') as match,
                 count(*)::bigint as n from glose_migrations`.execute(database.db);
        assert.equal(rows[0]?.match, true);
        assert.ok((rows[0]?.n ?? 0) >= 1);
        assert.equal(typeof rows[0]?.n, "number");
      } finally {
        await database.drop();
      }
    });

    it("rolls back a failed transaction and keeps serving queries", async () => {
      const database = await createTestDatabase(backend);
      try {
        await assert.rejects(
          database.db.transaction().execute(async (trx) => {
            await trx.insertInto("fedify_kv").values({ key: ["a"], value: JSON.stringify(1), expires_at: null }).execute();
            throw new Error("boom");
          }),
          /boom/,
        );
        const rows = await database.db.selectFrom("fedify_kv").selectAll().execute();
        assert.deepEqual(rows, []);
      } finally {
        await database.drop();
      }
    });
  });
}
