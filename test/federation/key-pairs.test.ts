// The owner's private keys are imported from the database once per process: signing every
// delivery with a freshly imported key costs more than the signature itself.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InProcessMessageQueue, MemoryKvStore } from "@fedify/fedify";
import { parseConfig } from "../../src/config.ts";
import { createFederation } from "../../src/federation/index.ts";
import { ensureKeyPairs, keyPairImports } from "../../src/federation/keys.ts";
import { ensureConfiguredAccount } from "../../src/services/setup.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

describe("the owner's key pairs", () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase("pglite");
  });
  after(async () => await database.drop());

  it("are imported once, however many activities are signed", async () => {
    const config = parseConfig({ ORIGIN: "https://blog.example", ACCOUNT: "owner", ADMIN_PASSWORD: "correct horse battery" });
    await ensureConfiguredAccount(database.db, config);
    await ensureKeyPairs(database.db);
    const federation = createFederation({ config, kv: new MemoryKvStore(), queue: new InProcessMessageQueue() });
    const ctx = federation.createContext(new URL(config.origin), { db: database.db, config });
    const before = keyPairImports();
    const first = await ctx.getActorKeyPairs("owner");
    for (let n = 0; n < 5; n++) {
      const again = await ctx.getActorKeyPairs("owner");
      assert.equal(again[0]?.privateKey, first[0]?.privateKey, "the same CryptoKey each time");
    }
    assert.equal(first.length, 2);
    assert.equal(keyPairImports() - before, 1);
  });
});
