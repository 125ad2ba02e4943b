// The admin over real HTTP: first-run setup, login, throttling, CSRF, the editor.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD, startFreshGlose, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";

for (const backend of backends()) {
  describe(`first-run setup (${backend})`, () => {
    let glose: TestGlose;
    let origin: string;
    before(async () => {
      glose = await startFreshGlose(backend);
      origin = glose.origin;
    });
    after(() => glose.destroy());

    it("offers the setup page at the first visit, then never again", async () => {
      const client = new AdminClient(origin);
      const first = await client.request("/admin");
      assert.equal(first.status, 200);
      assert.match(await first.text(), /action="\/admin\/setup"/);

      const invalid = await client.submit("/admin/setup", { username: "not valid!", password: "long enough" });
      assert.equal(invalid.status, 400);
      assert.match(await invalid.text(), /letters, digits and underscores/);

      const created = await client.submit("/admin/setup", { username: "Reader", password: "a good password" });
      assert.equal(created.status, 303);
      await created.body?.cancel();
      const home = await client.request("/admin");
      assert.match(await home.text(), /@reader@127\.0\.0\.1/);

      // Nobody can claim the account a second time.
      const intruder = new AdminClient(origin);
      const again = await intruder.submit("/admin/setup", { username: "intruder", password: "another password" });
      assert.equal(again.status, 303);
      await again.body?.cancel();
      const page = await intruder.request("/admin");
      assert.equal(page.status, 401);
      assert.match(await page.text(), /action="\/admin\/login"/);
      const webfinger = await fetch(`${origin}/.well-known/webfinger?resource=acct:reader@${new URL(origin).host}`);
      assert.equal(webfinger.status, 200);
      await webfinger.body?.cancel();
    });
  });

  describe(`admin authentication (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend);
    });
    after(() => glose.destroy());

    it("keeps the admin and the editor behind the login", async () => {
      const visitor = new AdminClient(glose.origin);
      for (const path of ["/admin", "/admin/posts/new", "/admin/settings"]) {
        const response = await visitor.request(path);
        assert.equal(response.status, 401, path);
        await response.body?.cancel();
      }
      const post = await visitor.submit("/admin/posts", { action: "save", title: "Sneaky" });
      assert.equal(post.status, 401);
      await post.body?.cancel();
    });

    it("logs in with the password, sets a safe cookie, and logs out", async () => {
      const client = new AdminClient(glose.origin);
      const response = await client.submit("/admin/login", { password: OWNER_PASSWORD });
      assert.equal(response.status, 303);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith("glose_session="));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      const home = await client.request("/admin");
      assert.equal(home.status, 200);
      assert.match(await home.text(), new RegExp(`@${OWNER}@`));
      const logout = await client.submit("/admin/logout", {});
      assert.equal(logout.status, 303);
      const after = await client.request("/admin");
      assert.equal(after.status, 401);
      await after.body?.cancel();
    });

    it("refuses forms without the CSRF token or from another origin", async () => {
      const client = new AdminClient(glose.origin);
      await client.logIn(OWNER_PASSWORD);
      const noToken = await client.request("/admin/posts", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ action: "save", title: "CSRF" }),
      });
      assert.equal(noToken.status, 403);
      await noToken.body?.cancel();
      const crossSite = await client.request("/admin/posts", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
        body: new URLSearchParams({ _csrf: client.csrf, action: "save", title: "CSRF" }),
      });
      assert.equal(crossSite.status, 403);
      await crossSite.body?.cancel();
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from posts`.execute(glose.database.db);
      assert.equal(rows[0]?.n, 0);
    });

    it("slows down password guessing after five failures", async () => {
      const client = new AdminClient(glose.origin);
      for (let i = 0; i < 5; i++) {
        const wrong = await client.submit("/admin/login", { password: `guess ${i}` });
        assert.equal(wrong.status, 401);
        assert.match(await wrong.text(), /Wrong password/);
      }
      // Now even the right password must wait.
      const blocked = await client.submit("/admin/login", { password: OWNER_PASSWORD });
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get("retry-after")) > 0);
      await blocked.body?.cancel();
      await sql`delete from login_failures`.execute(glose.database.db);
    });

    it("writes, edits and deletes a post from the editor", async () => {
      const client = new AdminClient(glose.origin);
      await client.logIn(OWNER_PASSWORD);
      const preview = await client.submit("/admin/posts", {
        action: "preview",
        url: "https://example.org/page",
        title: "<script>alert(1)</script> Titre",
        comment: "Un **commentaire**",
        tags: "#Tech  web",
        visibility: "public",
      });
      assert.equal(preview.status, 200);
      const previewHtml = await preview.text();
      assert.match(previewHtml, /As your followers will see it on Mastodon/);
      assert.match(previewHtml, /<strong>commentaire<\/strong>/);
      assert.doesNotMatch(previewHtml, /<script>alert/);

      const id = await client.publish({ url: "https://example.org/page", title: "Titre", comment: "Texte", tags: "tech web" });
      const page = await client.request(`/p/${id}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Titre/);
      assert.match(html, /href="\/tags\/tech"/);
      assert.match(html, /\/admin\/posts\/[a-z0-9]+\/edit/);

      const duplicate = await client.submit("/admin/posts", { action: "save", url: "https://example.org/page", title: "Again" });
      assert.equal(duplicate.status, 303);
      assert.equal(duplicate.headers.get("location"), `/admin/posts/${id}/edit?already=1`);
      const share = await client.request(`/admin/share?post=${encodeURIComponent("https://example.org/page")}&title=x&source=bookmarklet`);
      assert.equal(share.status, 303);
      assert.equal(share.headers.get("location"), `/admin/posts/${id}/edit?already=1`);
      const fresh = await client.request(`/admin/share?post=${encodeURIComponent("https://example.org/other?utm_source=x")}&title=Other&description=Quote&source=bookmarklet`);
      assert.equal(fresh.status, 200);
      assert.match(await fresh.text(), /value="Other"/);

      await client.publish({ url: "https://example.org/page", title: "Titre modifié", comment: "Texte" }, `/admin/posts/${id}`);
      assert.match(await (await client.request(`/p/${id}`)).text(), /Titre modifié/);

      const deleted = await client.submit(`/admin/posts/${id}/delete`, {});
      assert.equal(deleted.status, 303);
      const gone = await client.request(`/p/${id}`);
      assert.equal(gone.status, 410);
      await gone.body?.cancel();
    });

    it("fills the title from the linked page and keeps its card for the blog", async () => {
      const server = createServer((_request, response) => {
        response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        response.end(`<html lang="fr"><head><title>Titre de la page</title>
<meta property="og:title" content="L’article « du jour »">
<meta property="og:description" content="Une description pour la carte.">
<meta property="og:site_name" content="Le Journal">
<meta property="og:image" content="/image.png"></head><body>…</body></html>`);
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/article`;
      try {
        const client = new AdminClient(glose.origin);
        await client.logIn(OWNER_PASSWORD);
        const filled = await client.submit("/admin/posts", { action: "fetch-title", url, title: "", comment: "", visibility: "public" });
        const html = await filled.text();
        assert.match(html, /id="title" name="title" value="L’article « du jour »"/);
        assert.match(html, /Une description pour la carte\./);
        const id = await client.publish({ url, title: "L’article « du jour »" });
        const card = await waitFor("the stored card", async () => {
          const page = await (await fetch(`${glose.origin}/p/${id}`)).text();
          return page.includes('class="card"') ? page : undefined;
        });
        assert.match(card, /Le Journal/);
        assert.match(card, new RegExp(`src="http://127\\.0\\.0\\.1:\\d+/image\\.png"`));
      } finally {
        server.close();
      }
    });
  });
}
