// The blog's feeds over real HTTP: only public posts, whoever asks; headers and conditional
// GET; hostile titles escaped; French typography intact.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { DomUtils, parseDocument } from "htmlparser2";
import type { WebEnv } from "../../src/web/context.ts";
import { FEED_SIZE, feedLinks, feedPaths, feedRoutes } from "../../src/web/feeds.ts";
import { sessionMiddleware } from "../../src/web/session.ts";
import { createPost, deletePost, editPost, type PostFederation } from "../../src/services/publishing.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

// The feeds read what is stored; sending is tested in federation/publishing.test.ts.
const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const HOSTILE = `</title><script>alert("x")</script> & "quotes" ]]> <img src=x onerror=alert(1)>`;
const TAG = "sécurité";
const TAG_PATH = "/tags/s%C3%A9curit%C3%A9";

type Node = ReturnType<typeof DomUtils.getElementsByTagName>[number];
const text = (node: Parameters<typeof DomUtils.textContent>[0] | undefined) => (node === undefined ? undefined : DomUtils.textContent(node));
const all = (name: string, root: Node | ReturnType<typeof parseDocument>) => DomUtils.getElementsByTagName(name, root);

/** Permalinks of a feed's entries (Atom ids or RSS guids), in order. */
function permalinks(xml: string): string[] {
  const document = parseDocument(xml, { xmlMode: true });
  return all("entry", document).length > 0
    ? all("entry", document).map((entry) => text(DomUtils.getElementsByTagName("id", entry, true, 1)[0])!)
    : all("guid", document).map((guid) => text(guid)!);
}

for (const backend of backends()) {
  describe(`feeds (${backend})`, () => {
    let glose: TestGlose;
    let server: ServerType;
    let feedsOrigin: string;
    const ids: Record<string, string> = {};
    /** Public posts, newest first. */
    const publicIds: string[] = [];

    before(async () => {
      glose = await startTestGlose(backend);
      // Glose's own app does not mount the feeds yet: serve them, and the session middleware
      // that tells the owner apart, from an app of their own over the same database.
      const app = new Hono<WebEnv>();
      app.use(sessionMiddleware(glose.database.db));
      app.get("/test/owner", (c) => c.json(c.get("owner")));
      app.route("/", feedRoutes({ config: glose.config, db: glose.database.db }));
      const port = await new Promise<number>((resolve) => {
        server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port));
      });
      feedsOrigin = `http://127.0.0.1:${port}`;

      const deps = { db: glose.database.db, federation: unsent };
      const add = async (key: string, input: Parameters<typeof createPost>[1]) => {
        const result = await createPost(deps, input);
        assert.ok(result.ok, key);
        ids[key] = result.post.id;
        return result.post;
      };
      const start = Date.parse("2026-03-01T08:00:00Z");
      const at = (hours: number) => new Date(start + hours * 3_600_000);
      for (let i = 0; i < FEED_SIZE + 5; i++) {
        await add(`n${i}`, { url: `https://example.org/n/${i}`, title: `Lien numéro ${i}`, tags: "série", publishedAt: at(i) });
      }
      await add("french", {
        url: "https://example.org/été",
        title: "L’été « français » à Montréal",
        comment: "Texte « français » ’ avec *emphase* et des accents : àéèêëîïôùç",
        tags: [TAG, "Québec"],
        language: "fr",
        publishedAt: at(60),
      });
      await add("hostile", { url: "https://example.org/hostile", title: HOSTILE, comment: "<script>alert(2)</script>", tags: TAG, publishedAt: at(61) });
      await add("controls", { url: "https://example.org/controls", title: "Contrôle\u0001\u0008 final", tags: TAG, publishedAt: at(62) });
      await add("note", { comment: "Une note sans lien ni titre, assez longue pour que le titre du flux soit un extrait de ses premiers mots.", publishedAt: at(63) });
      await add("unlisted", { url: "https://example.org/unlisted", title: "Non listé", visibility: "unlisted", tags: TAG, publishedAt: at(64) });
      await add("followers", { title: "Pour les abonnés", visibility: "followers", tags: TAG, publishedAt: at(65) });
      await add("private", { title: "Note privée", visibility: "private", tags: TAG, publishedAt: at(66) });
      await add("deleted", { url: "https://example.org/deleted", title: "Supprimé", tags: TAG, publishedAt: at(67) });
      assert.ok((await deletePost(deps, ids.deleted!)).ok);
      publicIds.push(ids.note!, ids.controls!, ids.hostile!, ids.french!);
      for (let i = FEED_SIZE + 4; i >= 0; i--) publicIds.push(ids[`n${i}`]!);
    });

    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await glose.destroy();
    });

    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(new URL(path, feedsOrigin), { headers });
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    const permalink = (id: string) => `${glose.origin}/p/${id}`;
    const hidden = ["unlisted", "followers", "private", "deleted"];

    it("serves the blog's newest public posts as Atom and RSS, with type and caching headers", async () => {
      for (const [path, type] of [["/feed.atom", "application/atom+xml; charset=utf-8"], ["/feed.rss", "application/rss+xml; charset=utf-8"]] as const) {
        const feed = await get(path);
        assert.equal(feed.status, 200, path);
        assert.equal(feed.headers.get("content-type"), type);
        assert.equal(feed.headers.get("cache-control"), "public, max-age=300");
        assert.match(feed.headers.get("etag") ?? "", /^"[\w-]+"$/);
        assert.equal(feed.headers.get("last-modified"), new Date(Date.parse("2026-03-01T08:00:00Z") + 63 * 3_600_000).toUTCString());
        assert.deepEqual(permalinks(feed.text), publicIds.slice(0, FEED_SIZE).map(permalink), path);
        for (const key of hidden) assert.ok(!feed.text.includes(ids[key]!), `${key} left out of ${path}`);
        assert.doesNotMatch(feed.text, /Non listé|Pour les abonnés|Note privée|Supprimé/);
      }
    });

    it("serves a tag's public posts, whatever the case of the tag in the address", async () => {
      for (const format of ["atom", "rss"]) {
        const feed = await get(`${TAG_PATH}/feed.${format}`);
        assert.equal(feed.status, 200);
        assert.deepEqual(permalinks(feed.text), [ids.controls!, ids.hostile!, ids.french!].map(permalink));
        for (const key of hidden) assert.ok(!feed.text.includes(ids[key]!), `${key} left out of the tag's ${format}`);
        const document = parseDocument(feed.text, { xmlMode: true });
        assert.equal(text(all("title", document)[0]), `#${TAG} · ${glose.config.account}`);
        const self = format === "atom" ? all("link", document).find((link) => link.attribs.rel === "self") : all("atom:link", document)[0];
        assert.equal(self?.attribs.href, `${glose.origin}${TAG_PATH}/feed.${format}`);
        const upper = await get(`/tags/S%C3%89CURIT%C3%89/feed.${format}`);
        assert.deepEqual(permalinks(upper.text), permalinks(feed.text));
      }
      const empty = await get("/tags/personne/feed.atom");
      assert.equal(empty.status, 200, "a tag without posts yet has an empty feed");
      assert.deepEqual(permalinks(empty.text), []);
    });

    it("never shows the owner more than a visitor", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const owner = await admin.request(`${feedsOrigin}/test/owner`);
      assert.equal(await owner.json(), true, "the session cookie makes the owner known");
      for (const path of ["/feed.atom", "/feed.rss", `${TAG_PATH}/feed.atom`, `${TAG_PATH}/feed.rss`]) {
        const asOwner = await (await admin.request(`${feedsOrigin}${path}`)).text();
        assert.equal(asOwner, (await get(path)).text, path);
        for (const key of hidden) assert.ok(!asOwner.includes(ids[key]!), `${key} left out of ${path}`);
      }
    });

    it("answers 304 to a matching If-None-Match, and changes its ETag when an older post is edited", async () => {
      const first = await get("/feed.atom");
      const etag = first.headers.get("etag")!;
      for (const match of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const again = await get("/feed.atom", { "If-None-Match": match });
        assert.equal(again.status, 304, match);
        assert.equal(again.text, "");
        assert.equal(again.headers.get("etag"), etag);
        assert.equal(again.headers.get("cache-control"), "public, max-age=300");
      }
      assert.equal((await get("/feed.atom", { "If-None-Match": `"other"` })).status, 200);
      assert.notEqual((await get("/feed.rss")).headers.get("etag"), etag, "each format has its own");

      // Not the newest post: an ETag of the newest post alone would miss this edit.
      const edited = await editPost({ db: glose.database.db, federation: unsent }, ids.french!, { title: "L’été « français » à Montréal, revu" });
      assert.ok(edited.ok);
      const changed = await get("/feed.atom", { "If-None-Match": etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get("etag"), etag);
      assert.match(changed.text, /L’été «\u202Ffrançais\u202F» à Montréal, revu/u);
      const entry = all("entry", parseDocument(changed.text, { xmlMode: true })).find((node) => node.children.some((child) => text(child) === permalink(ids.french!)))!;
      assert.equal(text(all("updated", entry)[0]), edited.post.updated_at?.toISOString());
      assert.notEqual(text(all("updated", entry)[0]), text(all("published", entry)[0]));
    });

    it("escapes hostile titles and drops characters XML cannot hold", async () => {
      for (const format of ["atom", "rss"]) {
        const feed = await get(`${TAG_PATH}/feed.${format}`);
        assert.doesNotMatch(feed.text, /<script|<img/);
        assert.doesNotMatch(feed.text, /[\u0000-\u0008]/);
        const document = parseDocument(feed.text, { xmlMode: true });
        assert.equal(all("script", document).length + all("img", document).length, 0, "no stray element");
        const titles = all(format === "atom" ? "entry" : "item", document).map((entry) => text(all("title", entry)[0]));
        assert.ok(titles.includes(HOSTILE), format);
        assert.ok(titles.includes("Contrôle final"), format);
        const contents = all(format === "atom" ? "content" : "description", document).map((node) => text(node) ?? "");
        const hostile = contents.find((content) => content.includes("example.org/hostile"));
        assert.ok(hostile?.includes(`&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)`), "the title is escaped inside the content HTML");
        assert.ok(hostile?.includes("&lt;script&gt;alert(2)&lt;/script&gt;"), "typed HTML stays text");
      }
    });

    it("keeps French text, links the tags absolutely and names untitled notes by their first words", async () => {
      const atom = parseDocument((await get("/feed.atom")).text, { xmlMode: true });
      const entries = all("entry", atom);
      const byId = (id: string) => entries.find((entry) => text(DomUtils.getElementsByTagName("id", entry, true, 1)[0]) === permalink(id))!;
      const french = byId(ids.french!);
      assert.equal(french.attribs["xml:lang"], "fr", "the post's language, the blog's being English");
      const content = text(all("content", french)[0])!;
      // In French typography: narrow no-break spaces inside guillemets, a no-break space before ":".
      assert.match(content, /^<p><a href="https:\/\/example\.org\/%C3%A9t%C3%A9">L’été «\u202Ffrançais\u202F» à Montréal, revu<\/a><\/p>/u);
      assert.match(content, /Texte «\u202Ffrançais\u202F» ’ avec <em>emphase<\/em> et des accents\u00A0: àéèêëîïôùç/u);
      assert.ok(content.includes(`<a href="${glose.origin}${TAG_PATH}" rel="tag">#${TAG}</a>`));
      assert.ok(content.includes(`<a href="${glose.origin}/tags/Qu%C3%A9bec" rel="tag">#Québec</a>`));
      assert.deepEqual(all("category", french).map((category) => category.attribs.term), [TAG, "Québec"]);
      assert.equal(all("link", french).find((link) => link.attribs.rel === "related")?.attribs.href, "https://example.org/%C3%A9t%C3%A9");

      const note = byId(ids.note!);
      assert.match(text(all("title", note)[0])!, /^Une note sans lien ni titre, assez longue .*…$/);
      assert.ok(text(all("title", note)[0])!.length <= 80);
      assert.equal(all("link", note).filter((link) => link.attribs.rel === "related").length, 0);

      const rss = parseDocument((await get("/feed.rss")).text, { xmlMode: true });
      const item = all("item", rss).find((node) => text(all("guid", node)[0]) === permalink(ids.french!))!;
      assert.equal(text(all("title", item)[0]), "L’été «\u202Ffrançais\u202F» à Montréal, revu");
      assert.equal(text(all("link", item)[0]), "https://example.org/%C3%A9t%C3%A9", "RSS links to the shared page");
      assert.equal(text(all("comments", item)[0]), permalink(ids.french!));
      const noteItem = all("item", rss).find((node) => text(all("guid", node)[0]) === permalink(ids.note!))!;
      assert.equal(text(all("link", noteItem)[0]), permalink(ids.note!), "a note links to its permalink");
    });
  });
}

describe("feedLinks", () => {
  it("points browsers and readers to a page's feeds, escaped", async () => {
    const paths = feedPaths("/search/feed", `?q=${encodeURIComponent("a&b")}&lang=fr`);
    assert.deepEqual(paths, { atom: "/search/feed.atom?q=a%26b&lang=fr", rss: "/search/feed.rss?q=a%26b&lang=fr" });
    const links = String(await feedLinks(paths, `Le "sblog" <b>`));
    assert.equal(
      links,
      `<link rel="alternate" type="application/atom+xml" title="Le &quot;sblog&quot; &lt;b&gt; (Atom)" href="/search/feed.atom?q=a%26b&amp;lang=fr">
<link rel="alternate" type="application/rss+xml" title="Le &quot;sblog&quot; &lt;b&gt; (RSS)" href="/search/feed.rss?q=a%26b&amp;lang=fr">`,
    );
  });
});
