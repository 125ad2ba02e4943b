// The owner's account at setup: from the setup page or the environment, API_SECRET honoured by both.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseConfig } from "../../src/config.ts";
import { getAccount } from "../../src/data/account.ts";
import { ensureConfiguredAccount, setUpAccount } from "../../src/services/setup.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

const SECRET = "a secret from the environment";

for (const backend of backends()) {
  describe(`account setup (${backend})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => await database.drop());

    it("keeps API_SECRET as the secret of an account made on the setup page", async () => {
      const config = parseConfig({ API_SECRET: SECRET });
      const result = await setUpAccount(database.db, { username: "reader", password: "long enough", apiSecret: config.apiSecret });
      assert.ok(result.ok);
      assert.equal(result.account.api_secret, SECRET);
      // And the next start keeps it.
      assert.equal((await ensureConfiguredAccount(database.db, config))?.api_secret, SECRET);
    });

    it("makes a random secret when none is set", async () => {
      await database.db.deleteFrom("account").execute();
      const result = await setUpAccount(database.db, { username: "reader", password: "long enough" });
      assert.ok(result.ok);
      assert.match(result.account.api_secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal((await getAccount(database.db))?.api_secret, result.account.api_secret);
    });
  });
}
