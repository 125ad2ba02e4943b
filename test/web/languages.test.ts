// Choosing languages: the setup page proposes the browser's, the editor and the settings offer
// a list named in each language, and the bookmarklet's text tells its own.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAccount } from "../../src/data/account.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { startFreshGlose, type TestGlose } from "../helpers/glose.ts";

const selected = (page: string, name: string) =>
  new RegExp(`<select id="${name}" name="${name}">.*?<option value="([a-z-]+)" lang="[a-z-]+" selected>`, "s").exec(page)?.[1];

for (const backend of backends()) {
  describe(`post languages (${backend})`, () => {
    let glose: TestGlose;
    let origin: string;
    before(async () => {
      glose = await startFreshGlose(backend);
      origin = glose.origin;
    });
    after(() => glose.destroy());

    it("proposes the browser's language at setup, and keeps the one chosen", async () => {
      const client = new AdminClient(origin);
      const german = await client.request("/admin", { headers: { "Accept-Language": "de-CH, fr;q=0.8" } });
      const page = await german.text();
      assert.equal(selected(page, "language"), "de");
      assert.match(page, /<option value="fr" lang="fr">français<\/option>/);
      const plain = await (await client.request("/admin", { headers: { "Accept-Language": "tlh" } })).text();
      assert.equal(selected(plain, "language"), "en");

      const refused = await client.submit("/admin/setup", { username: "owner", password: "a good password", language: "xx" });
      assert.equal(refused.status, 400);
      await refused.body?.cancel();
      assert.equal(await getAccount(glose.database.db), undefined);

      const created = await client.submit("/admin/setup", { username: "owner", password: "a good password", language: "fr" });
      assert.equal(created.status, 303);
      await created.body?.cancel();
      assert.equal((await getAccount(glose.database.db))?.language, "fr");

      const editor = await (await client.request("/admin/posts/new")).text();
      assert.equal(selected(editor, "language"), "fr");
      assert.match(editor, /<option value="en" lang="en">English<\/option>/);
      assert.doesNotMatch(editor, /<input id="language"/);
      const settings = await (await client.request("/admin/settings")).text();
      assert.equal(selected(settings, "language"), "fr");
    });

    it("pre-selects the language of what the bookmarklet shares", async () => {
      const client = new AdminClient(origin);
      await client.logIn("a good password");
      const query = new URLSearchParams({ post: "https://example.org/orm", title: "Why I stopped using ORMs", description: "A short read on what they hide from you." });
      const page = await (await client.request(`/admin/share?${query}`)).text();
      assert.equal(selected(page, "language"), "en");
    });

    it("shows in the preview which handles resolved", async () => {
      const client = new AdminClient(origin);
      await client.logIn("a good password");
      const response = await client.submit("/admin/posts", {
        action: "preview",
        title: "Aperçu",
        comment: "Pour @nobody@unknown.invalid et le #numérique",
        language: "fr",
        visibility: "public",
      });
      assert.equal(response.status, 200);
      const page = await response.text();
      assert.match(page, /@nobody@unknown\.invalid: not found, stays plain text/);
      assert.match(page, new RegExp(`<a href="${origin}/tags/num%C3%A9rique" class="mention hashtag" rel="tag">#<span>numérique</span></a>`));
    });
  });
}
