// inTransaction: every query through the database joins the transaction running in its async
// context, commits or rolls back with it; nested calls are savepoints; other contexts are apart.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inTransaction } from "../../src/data/transaction.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

async function withDatabase(backend: Parameters<typeof createTestDatabase>[0], test: (database: TestDatabase) => Promise<void>) {
  const database = await createTestDatabase(backend);
  try {
    await test(database);
  } finally {
    await database.drop();
  }
}

const keys = async (database: TestDatabase) =>
  (await database.db.selectFrom("fedify_kv").select("key").orderBy("key").execute()).map((row) => row.key.join("/"));

const put = (database: TestDatabase, key: string) =>
  database.db.insertInto("fedify_kv").values({ key: [key], value: "1" }).execute();

for (const backend of backends()) {
  describe(`ambient transactions (${backend})`, { timeout: 30_000 }, () => {
    it("commits every query made through the database inside, or none", () =>
      withDatabase(backend, async (database) => {
        await inTransaction(database.db, async () => {
          await put(database, "a");
          assert.deepEqual(await keys(database), ["a"], "a query inside sees the transaction's writes");
        });
        await assert.rejects(
          inTransaction(database.db, async () => {
            await put(database, "b");
            throw new Error("undo");
          }),
          /undo/,
        );
        assert.deepEqual(await keys(database), ["a"]);
      }));

    it("rolls back a nested transaction alone", () =>
      withDatabase(backend, async (database) => {
        await inTransaction(database.db, async () => {
          await put(database, "outer");
          await assert.rejects(
            inTransaction(database.db, async () => {
              await put(database, "inner");
              throw new Error("undo inner");
            }),
          );
          await inTransaction(database.db, () => put(database, "kept"));
        });
        assert.deepEqual(await keys(database), ["kept", "outer"]);
      }));

    it("takes nested transactions made side by side in turns, each rolled back alone", () =>
      withDatabase(backend, async (database) => {
        await inTransaction(database.db, async () => {
          const results = await Promise.allSettled(
            ["a", "b", "c", "d", "e", "f"].map((key) =>
              inTransaction(database.db, async () => {
                await put(database, key);
                await inTransaction(database.db, () => put(database, `${key}-child`));
                if (key === "c") throw new Error("undo c");
              }),
            ),
          );
          assert.deepEqual(results.map((result) => result.status), ["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
        });
        assert.deepEqual(await keys(database), ["a", "a-child", "b", "b-child", "d", "d-child", "e", "e-child", "f", "f-child"]);
      }));

    it("keeps queries of other async contexts out, and lets them run after", () =>
      withDatabase(backend, async (database) => {
        // Registered outside the transaction's context, run from inside it: it must not join.
        let start!: () => void;
        const outside = new Promise<void>((resolve) => (start = resolve)).then(() => keys(database));
        await inTransaction(database.db, async () => {
          await put(database, "private");
          start();
          // PostgreSQL answers at once, from before the commit; PGlite, one session, after it.
          if (backend === "postgres") assert.deepEqual(await outside, []);
        });
        if (backend === "pglite") assert.deepEqual(await outside, ["private"]);
      }));
  });
}
