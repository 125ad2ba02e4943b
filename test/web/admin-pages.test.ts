// The admin over real HTTP: its language, the dashboard's paging and filters, the API secret
// kept out of sight, the live preview, delete after a confirmation, errors that name the field
// and its limit and keep what was typed, and the API's reasons for a 401.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { getAccount } from "../../src/data/account.ts";
import { countPosts } from "../../src/data/posts.ts";
import { insertReply } from "../../src/data/replies.ts";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { signShaarliToken } from "../../src/web/api/jwt.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const ALL = ["public", "unlisted", "followers", "private"] as const;

for (const backend of backends()) {
  describe(`admin pages (${backend})`, () => {
    let glose: TestGlose;
    let owner: AdminClient;
    let site: Server;
    let siteOrigin: string;
    const total = () => countPosts(glose.database.db, { visibilities: ALL });

    before(async () => {
      glose = await startTestGlose(backend);
      owner = new AdminClient(glose.origin);
      await owner.logIn(OWNER_PASSWORD);
      site = createServer((request, response) => {
        response.setHeader("Content-Type", "text/html; charset=utf-8");
        response.end(request.url === "/titled" ? "<html><head><title>Un titre trouvé</title></head></html>" : "<html><head></head><body>rien</body></html>");
      });
      site.listen(0, "127.0.0.1");
      await once(site, "listening");
      siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    });
    after(async () => {
      site?.close();
      await glose?.destroy();
    });

    const settings = (fields: Record<string, string>) =>
      owner.submit("/admin/settings", { display_name: "", summary: "", default_visibility: "public", language: "fr", interface_language: "auto", ...fields });

    it("speaks the owner's chosen language, else the browser's", async () => {
      const english = await (await owner.request("/admin", { headers: { "Accept-Language": "en-GB" } })).text();
      assert.match(english, /<html lang="en">/);
      assert.match(english, />New post</);
      const byBrowser = await (await owner.request("/admin", { headers: { "Accept-Language": "fr-FR, en;q=0.5" } })).text();
      assert.match(byBrowser, /<html lang="fr">/);

      const saved = await settings({ interface_language: "fr" });
      assert.equal(saved.status, 303);
      await saved.body?.cancel();
      for (const path of ["/admin", "/admin/posts/new", "/admin/settings", "/admin/followers", "/admin/moving"]) {
        const page = await (await owner.request(path, { headers: { "Accept-Language": "en-US" } })).text();
        assert.match(page, /<html lang="fr">/, path);
        assert.match(page, />Nouveau lien</, path);
        assert.match(page, />Réglages</, path);
      }
      const editor = await (await owner.request("/admin/posts/new", { headers: { "Accept-Language": "en-US" } })).text();
      assert.match(editor, />Publier</);
      assert.match(editor, />Chercher le titre</);
      const login = await (await new AdminClient(glose.origin).request("/admin", { headers: { "Accept-Language": "en-US" } })).text();
      assert.match(login, />Se connecter</);

      await (await settings({ interface_language: "en" })).body?.cancel();
      const back = await (await owner.request("/admin", { headers: { "Accept-Language": "fr-FR" } })).text();
      assert.match(back, /<html lang="en">/);
    });

    it("pages, searches and filters the dashboard", async () => {
      const deps = { db: glose.database.db, federation: unsent };
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const created = await createPost(deps, {
          url: `https://example.org/dashboard/${i}`,
          title: i === 7 ? "Une aubergine remarquable" : `Lien numéro ${i}`,
          comment: "",
          tags: i % 3 === 0 ? "trois" : "autre",
          visibility: i % 10 === 0 ? "private" : "public",
          language: "fr",
        });
        assert.ok(created.ok);
        ids.push(created.post.id);
      }
      await insertReply(glose.database.db, {
        id: "https://peer.example/replies/1",
        post_id: ids[4]!,
        in_reply_to: "x",
        actor_id: "https://peer.example/users/alice",
        content_html: "<p>Bien vu</p>",
        public: true,
        published_at: new Date(),
        updated_at: null,
        deleted_at: null,
        url: null,
        summary: null,
        language: "fr",
      });
      const titles = async (query: string) => {
        const page = await (await owner.request(`/admin${query}`)).text();
        return [...page.matchAll(/class="post-edit" href="\/admin\/posts\/[a-z0-9]+\/edit">([^<]*)</g)].map((m) => m[1]!);
      };

      const first = await (await owner.request("/admin")).text();
      assert.equal([...first.matchAll(/class="post-edit"/g)].length, 25);
      assert.match(first, /30 posts · Page 1 of 2/);
      assert.match(first, /rel="next" href="\/admin\?page=2"/);
      assert.deepEqual(await titles("?page=2"), ["Lien numéro 4", "Lien numéro 3", "Lien numéro 2", "Lien numéro 1", "Lien numéro 0"]);

      assert.deepEqual(await titles("?q=aubergine"), ["Une aubergine remarquable"]);
      assert.deepEqual(await titles("?visibility=private"), ["Lien numéro 20", "Lien numéro 10", "Lien numéro 0"]);
      assert.deepEqual(await titles("?visibility=private&tag=trois"), ["Lien numéro 0"]);
      assert.equal((await titles("?tag=trois")).length, 10);
      assert.deepEqual(await titles("?replies=1"), ["Lien numéro 4"]);
      assert.deepEqual(await titles("?q=num%C3%A9ro&replies=1"), ["Lien numéro 4"]);
      assert.deepEqual(await titles("?q=aubergine&tag=trois"), []);
      // The pager keeps the filters.
      const trois = await (await owner.request("/admin?tag=trois&visibility=public")).text();
      assert.match(trois, /9 posts/);
      assert.doesNotMatch(trois, /rel="next"/);
      // Nonsense parameters are no filter, never an error.
      const odd = await owner.request("/admin?page=-3&visibility=secret&tag=%23%23");
      assert.equal(odd.status, 200);
      assert.match(await odd.text(), /30 posts/);
    });

    it("keeps the API secret out of the page until asked", async () => {
      const secret = (await getAccount(glose.database.db))!.api_secret;
      const home = await (await owner.request("/admin")).text();
      assert.doesNotMatch(home, new RegExp(secret));
      assert.match(home, /href="\/admin\?secret=show#api"/);
      const shown = await (await owner.request("/admin?secret=show")).text();
      assert.match(shown, new RegExp(`<code class="secret">${secret}</code>`));
      const visitor = await new AdminClient(glose.origin).request("/admin?secret=show");
      assert.equal(visitor.status, 401);
      assert.doesNotMatch(await visitor.text(), new RegExp(secret));
    });

    it("previews both views from the form, for the owner only, saving nothing", async () => {
      const before = await total();
      const fields = { title: "Un aperçu en direct", comment: "Du *Markdown* avec #essai", url: "", visibility: "public", language: "fr" };
      const preview = await owner.submit("/admin/posts/preview", fields);
      assert.equal(preview.status, 200);
      const fragment = await preview.text();
      assert.match(fragment, /As your followers will see it on Mastodon/);
      assert.match(fragment, /As it will look on the blog/);
      assert.match(fragment, /<em>Markdown<\/em>/);
      assert.match(fragment, /Un aperçu en direct/);
      assert.doesNotMatch(fragment, /<html/);
      // A long commentary is shown whole: the blog's "read more" would lead nowhere from here.
      const long = await owner.submit("/admin/posts/preview", { ...fields, comment: `Premier paragraphe. ${"long ".repeat(120)}\n\nLe second paragraphe.` });
      const whole = await long.text();
      assert.match(whole, /Le second paragraphe/);
      assert.doesNotMatch(whole, /class="more"/);

      const stranger = new AdminClient(glose.origin);
      const refused = await stranger.submit("/admin/posts/preview", fields);
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
      const forged = await owner.request("/admin/posts/preview", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: glose.origin },
        body: new URLSearchParams({ _csrf: "x".repeat(43), ...fields }),
      });
      assert.equal(forged.status, 403);
      await forged.body?.cancel();
      assert.equal(await total(), before);
    });

    it("asks before deleting a post", async () => {
      const id = await owner.publish({ title: "À supprimer", url: "https://example.org/a-supprimer" });
      const editor = await (await owner.request(`/admin/posts/${id}/edit`)).text();
      assert.match(editor, new RegExp(`<a class="delete-link" href="/admin/posts/${id}/delete">`));
      assert.doesNotMatch(editor.split("<dialog")[0]!, /action="\/admin\/posts\/[a-z0-9]+\/delete"/);
      const confirmation = await owner.request(`/admin/posts/${id}/delete`);
      assert.equal(confirmation.status, 200);
      assert.match(await confirmation.text(), new RegExp(`<form method="post" action="/admin/posts/${id}/delete"`));
      assert.equal((await glose.database.db.selectFrom("posts").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow()).deleted_at, null);
      const deleted = await owner.submit(`/admin/posts/${id}/delete`, {});
      assert.equal(deleted.status, 303);
      await deleted.body?.cancel();
      assert.notEqual((await glose.database.db.selectFrom("posts").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow()).deleted_at, null);
    });

    it("names the field and its limit, and keeps what was typed", async () => {
      const before = await total();
      const longTitle = await owner.submit("/admin/posts", { action: "save", title: "t".repeat(1001), comment: "Mon commentaire précieux", visibility: "public", language: "fr" });
      assert.equal(longTitle.status, 400);
      const titlePage = await longTitle.text();
      assert.match(titlePage, /Title is too long: 1,000 characters at most, it has 1,001\./);
      assert.match(titlePage, /<input id="title" name="title" value="t{1001}" maxlength="1000" aria-invalid="true"/);
      assert.match(titlePage, />Mon commentaire précieux<\/textarea>/);

      const longComment = await owner.submit("/admin/posts", { action: "save", title: "Court", comment: "c".repeat(100_001), visibility: "public", language: "fr" });
      assert.equal(longComment.status, 400);
      const commentPage = await longComment.text();
      assert.match(commentPage, /Commentary is too long: 100,000 characters at most, it has 100,001\./);
      assert.match(commentPage, /value="Court"/);

      const badUrl = await owner.submit("/admin/posts", { action: "save", url: "ftp://example.org/x", title: "Garde-moi", visibility: "public", language: "fr" });
      assert.equal(badUrl.status, 400);
      const urlPage = await badUrl.text();
      assert.match(urlPage, /Link: the address must be/);
      assert.match(urlPage, /id="url" name="url" type="url" inputmode="url" placeholder="https:\/\/…" value="ftp:\/\/example.org\/x" aria-invalid="true"/);
      assert.equal(await total(), before);
    });

    it("keeps the name and bio typed when the avatar is refused, and says it is the avatar", async () => {
      const account = await getAccount(glose.database.db);
      const response = await owner.upload(
        "/admin/settings",
        { display_name: "Nouveau nom tapé", summary: "Une bio tapée avec soin", default_visibility: "public", language: "fr", interface_language: "en" },
        { avatar: new File(["not an image"], "avatar.png", { type: "image/png" }) },
      );
      assert.equal(response.status, 400);
      const page = await response.text();
      assert.match(page, /Avatar: this file is not a PNG, JPEG, GIF or WebP image\./);
      assert.match(page, /value="Nouveau nom tapé"/);
      assert.match(page, />Une bio tapée avec soin<\/textarea>/);
      assert.match(page, /id="avatar" name="avatar" type="file" accept="[^"]*" aria-invalid="true"/);
      const unchanged = await getAccount(glose.database.db);
      assert.equal(unchanged?.display_name, account?.display_name);
      assert.equal(unchanged?.summary, account?.summary);

      const long = await settings({ display_name: "n".repeat(101), summary: "Bio gardée", interface_language: "en" });
      assert.equal(long.status, 400);
      const longPage = await long.text();
      assert.match(longPage, /Display name is too long: 100 characters at most, it has 101\./);
      assert.match(longPage, />Bio gardée<\/textarea>/);
    });

    it("gives the editor back with the text when the form's token expired", async () => {
      const before = await total();
      const fields = { action: "save", title: "Écrit longtemps", comment: "Un long texte qu’il serait dommage de perdre", visibility: "public", language: "fr" };
      const expired = await owner.request("/admin/posts", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: glose.origin },
        body: new URLSearchParams({ _csrf: "s".repeat(43), ...fields }),
      });
      assert.equal(expired.status, 403);
      const page = await expired.text();
      assert.match(page, /This form had expired/);
      assert.match(page, />Un long texte qu’il serait dommage de perdre<\/textarea>/);
      assert.match(page, /value="Écrit longtemps"/);
      assert.match(page, new RegExp(`name="_csrf" value="${owner.csrf}"`));
      assert.equal(await total(), before);

      // A visitor gets no form, and a site elsewhere still the bare refusal.
      const stranger = await new AdminClient(glose.origin).request("/admin/posts", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: "s".repeat(43), ...fields }),
      });
      assert.equal(stranger.status, 403);
      assert.doesNotMatch(await stranger.text(), /textarea/);
      const crossSite = await owner.request("/admin/posts", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
        body: new URLSearchParams({ _csrf: owner.csrf, ...fields }),
      });
      assert.equal(crossSite.status, 403);
      assert.doesNotMatch(await crossSite.text(), /textarea/);
      assert.equal(await total(), before);
    });

    it("keeps the draft of an expired session through the login, saving nothing until Publish", async () => {
      const before = await total();
      const fields = { action: "save", url: "https://example.org/draft", title: "Un brouillon « précieux »", comment: "Écrit <longtemps>", tags: "a b", visibility: "unlisted", language: "fr", pinned: "on" };
      // A browser whose session ran out: its CSRF cookie still matches, it has no session.
      const expired = new AdminClient(glose.origin);
      const login = await expired.submit("/admin/posts", fields);
      assert.equal(login.status, 401);
      const loginPage = await login.text();
      assert.match(loginPage, /action="\/admin\/login"/);
      assert.match(loginPage, /Your session had ended: nothing was saved/);
      assert.match(loginPage, /<input type="hidden" name="draft" value="editor:new">/);
      assert.match(loginPage, /name="draft_comment" value="Écrit &lt;longtemps&gt;"/);
      assert.equal(await total(), before);

      const draft = Object.fromEntries([...loginPage.matchAll(/<input type="hidden" name="(draft[a-z_]*)" value="([^"]*)">/g)].map(([, name, value]) => [name!, decode(value!)]));
      // A wrong password (a visitor's guess) keeps the draft in the form, and still saves nothing.
      const wrong = await expired.submit("/admin/login", { ...draft, password: "not the password" });
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /name="draft_title" value="Un brouillon « précieux »"/);
      assert.equal(await total(), before);

      const back = await expired.submit("/admin/login", { ...draft, password: OWNER_PASSWORD });
      assert.equal(back.status, 200);
      const editor = await back.text();
      assert.match(editor, /Here is what you typed before logging in again/);
      assert.match(editor, /<form method="post" action="\/admin\/posts" class="editor"/);
      assert.match(editor, /value="https:\/\/example.org\/draft"/);
      assert.match(editor, />Écrit &lt;longtemps&gt;<\/textarea>/);
      assert.match(editor, /value="unlisted" checked/);
      assert.match(editor, /name="pinned" value="on" checked/);
      assert.equal(await total(), before, "not saved by the login");
      assert.equal((await expired.request("/admin")).status, 200, "logged in");
      const id = await expired.publish({ url: "https://example.org/draft", title: "Un brouillon « précieux »", comment: "Écrit" });
      assert.equal(await total(), before + 1);

      // An edit's draft comes back to that post's editor.
      const editing = new AdminClient(glose.origin);
      const editLogin = await (await editing.submit(`/admin/posts/${id}`, { ...fields, title: "Corrigé" })).text();
      assert.match(editLogin, new RegExp(`name="draft" value="editor:${id}"`));
      const editDraft = Object.fromEntries([...editLogin.matchAll(/<input type="hidden" name="(draft[a-z_]*)" value="([^"]*)">/g)].map(([, name, value]) => [name!, decode(value!)]));
      const edited = await (await editing.submit("/admin/login", { ...editDraft, password: OWNER_PASSWORD })).text();
      assert.match(edited, new RegExp(`action="/admin/posts/${id}" class="editor"`));
      assert.match(edited, /value="Corrigé"/);
      assert.equal(await total(), before + 1);

      // The settings too, but for the images, which a form cannot be given back.
      const settingsBefore = (await getAccount(glose.database.db))!;
      const profile = new AdminClient(glose.origin);
      const profileLogin = await (
        await profile.submit("/admin/settings", { display_name: "Nom en cours", summary: "Une présentation", default_visibility: "unlisted", language: "fr", interface_language: "en", locked: "on" })
      ).text();
      assert.match(profileLogin, /name="draft" value="settings"/);
      assert.equal((await getAccount(glose.database.db))!.display_name, settingsBefore.display_name, "nothing saved");
      const profileDraft = Object.fromEntries([...profileLogin.matchAll(/<input type="hidden" name="(draft[a-z0-9_]*)" value="([^"]*)">/g)].map(([, name, value]) => [name!, decode(value!)]));
      const profilePage = await (await profile.submit("/admin/login", { ...profileDraft, password: OWNER_PASSWORD })).text();
      assert.match(profilePage, /choose the images again/);
      assert.match(profilePage, /value="Nom en cours"/);
      assert.match(profilePage, />Une présentation<\/textarea>/);
      assert.equal((await getAccount(glose.database.db))!.display_name, settingsBefore.display_name, "not saved by the login");
    });

    it("refuses moderation, tag and delivery requests in the admin's language", async () => {
      await (await settings({ interface_language: "fr" })).body?.cancel();
      try {
        const domain = await owner.submit("/admin/blocks/domain", { domain: "not a domain" });
        assert.equal(domain.status, 400);
        assert.match(await domain.text(), /Saisissez un nom de serveur, par exemple spam\.example\./);
        const policy = await owner.submit("/admin/quotes/policy", { policy: "whatever" });
        assert.equal(policy.status, 400);
        assert.match(await policy.text(), /Règle de citation inconnue/);
        const actor = await owner.submit("/admin/blocks/actor", { actor: "not an address" });
        assert.equal(actor.status, 400);
        assert.match(await actor.text(), /Ce n’est pas l’adresse d’un compte\./);
        const tag = await owner.submit("/admin/tags/nosuchtag/toggle", { on: "on" });
        assert.equal(tag.status, 404);
        assert.match(await tag.text(), /Ce tag n’existe pas\./);
        const tagFollower = await owner.submit("/admin/tags/followers/approve", { handle: "nosuchtag", actor: "https://x.example/u" });
        assert.equal(tagFollower.status, 404);
        assert.match(await tagFollower.text(), /Cet abonné ou cette demande n’existe pas\./);
        const retry = await owner.submit("/admin/posts/nosuchpost/deliveries/retry", { inbox: "https://x.example/inbox" });
        assert.equal(retry.status, 404);
        assert.match(await retry.text(), /Ce lien n’existe plus\./);
      } finally {
        await (await settings({ interface_language: "en" })).body?.cancel();
      }
      const english = await owner.submit("/admin/blocks/domain", { domain: "not a domain" });
      assert.match(await english.text(), /Type a server name such as spam\.example\./);
    });

    it("tells an unreachable site from a page without a title", async () => {
      const fetchTitle = async (url: string) => (await owner.submit("/admin/posts", { action: "fetch-title", url, title: "", visibility: "public", language: "fr" })).text();
      assert.match(await fetchTitle(`${siteOrigin}/titled`), /value="Un titre trouvé"/);
      assert.match(await fetchTitle(`${siteOrigin}/untitled`), /The page was reached but gave no title\./);
      const closed = createServer().listen(0, "127.0.0.1");
      await once(closed, "listening");
      const port = (closed.address() as AddressInfo).port;
      closed.close();
      const unreachable = await fetchTitle(`http://127.0.0.1:${port}/`);
      assert.match(unreachable, /The site could not be reached \(the connection failed\)/);
      assert.doesNotMatch(unreachable, /was reached/);
    });

    it("says why the API refused a token", async () => {
      const secret = (await getAccount(glose.database.db))!.api_secret;
      const now = Math.floor(Date.now() / 1000);
      const message = async (authorization?: string) => {
        const response = await fetch(`${glose.origin}/api/v1/info`, { headers: authorization ? { Authorization: authorization } : {} });
        assert.equal(response.status, 401);
        return ((await response.json()) as { message: string }).message;
      };
      assert.match(await message(`Bearer ${signShaarliToken(secret, now - 3600)}`), /^Not authorized: the token has expired: .*clock/);
      assert.match(await message(`Bearer ${signShaarliToken("another secret", now)}`), /^Not authorized: bad signature/);
      assert.equal(await message(), "Not authorized: no Authorization header");
      const ok = await fetch(`${glose.origin}/api/v1/info`, { headers: { Authorization: `Bearer ${signShaarliToken(secret, now)}` } });
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
    });
  });
}

/** The text of an HTML attribute value as hono/html escapes it. */
function decode(value: string): string {
  return value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}
