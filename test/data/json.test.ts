// jsonb values from hostile payloads: what PostgreSQL's jsonb refuses becomes U+FFFD, the rest
// is stored as given.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { jsonb } from "../../src/data/json.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

for (const backend of backends()) {
  describe(`jsonb values (${backend})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await database.drop();
    });
    const stored = async (value: unknown) => (await sql<{ value: unknown }>`select ${jsonb(value)} as value`.execute(database.db)).rows[0]!.value;

    it("stores lone surrogates and NUL characters as U+FFFD", async () => {
      assert.deepEqual(await stored({ content: ["\ud800", "x\udfffy", "a\u0000b"] }), { content: ["\ufffd", "x\ufffdy", "a\ufffdb"] });
    });

    it("keeps paired surrogates and escaped backslashes as they are", async () => {
      const value = { emoji: "👩‍👩‍👧", text: "\\ud800 and \\u0000 are text", mixed: "\\\ud800" };
      assert.deepEqual(await stored(value), { ...value, mixed: "\\\ufffd" });
    });
  });
}
