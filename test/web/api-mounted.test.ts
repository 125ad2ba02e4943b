// The Shaarli API as Glose serves it: behind its tokens, not the admin's cookies or CSRF.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAccount } from "../../src/data/account.ts";
import { signShaarliToken } from "../../src/web/api/jwt.ts";
import { startTestGlose, type TestGlose } from "../helpers/glose.ts";

describe("the Shaarli API in Glose", () => {
  let glose: TestGlose;
  before(async () => {
    glose = await startTestGlose("pglite", { API_SECRET: "a secret for the api tests" });
  });
  after(() => glose.destroy());

  it("creates a link that the blog shows, with a token signed with API_SECRET", async () => {
    const account = await getAccount(glose.database.db);
    assert.equal(account?.api_secret, "a secret for the api tests");
    const response = await fetch(`${glose.origin}/api/v1/links`, {
      method: "POST",
      headers: { Authorization: `Bearer ${signShaarliToken("a secret for the api tests")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ url: "https://example.org/api?utm_source=x", title: "Depuis l’API", description: "Un *lien*.", tags: ["api"], private: false }),
    });
    assert.equal(response.status, 201);
    const link = (await response.json()) as { id: string; url: string };
    assert.equal(link.url, "https://example.org/api");
    const page = await fetch(`${glose.origin}/p/${link.id}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Depuis l’API/);
    const forged = await fetch(`${glose.origin}/api/v1/links`, { headers: { Authorization: `Bearer ${signShaarliToken("another secret entirely")}` } });
    assert.equal(forged.status, 401);
    await forged.body?.cancel();
  });
});
