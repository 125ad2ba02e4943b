// The reader's side of errors and tags: 404, 410 and 500 as pages of the blog in its language with
// a way home (JSON keeps its short answers); tags keep their case, match whatever the case, and
// sort in the blog's language.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { insertPost } from "../../src/data/posts.ts";
import { createPost, deletePost, type PostFederation } from "../../src/services/publishing.ts";
import { backends } from "../helpers/database.ts";
import { startTestGlose, type TestGlose } from "../helpers/glose.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

for (const backend of backends()) {
  describe(`reading pages (${backend})`, () => {
    let glose: TestGlose;
    const ids: Record<string, string> = {};
    before(async () => {
      glose = await startTestGlose(backend);
      const deps = { db: glose.database.db, federation: unsent, origin: glose.origin };
      const add = async (key: string, input: Parameters<typeof createPost>[1]) => {
        const result = await createPost(deps, { language: "fr", ...input });
        assert.ok(result.ok, key);
        ids[key] = result.post.id;
      };
      await add("upper", { url: "https://example.org/1", title: "Un", tags: "IA Écologie" });
      await add("lower", { url: "https://example.org/2", title: "Deux", tags: "ia zoologie" });
      await add("again", { url: "https://example.org/3", title: "Trois", tags: "IA éducation" });
      await add("gone", { url: "https://example.org/4", title: "Parti", tags: "x" });
      await add("typeset", { url: "https://example.org/5", title: 'Vraiment ? Un "test"', comment: "À lire : vite !" });
      await add("english", { url: "https://example.org/6", title: 'Really ? A "test"', language: "en" });
      assert.ok((await deletePost(deps, ids.gone!)).ok);
      await sql`update account set display_name = 'Le sblog', language = 'fr', interface_language = 'fr'`.execute(glose.database.db);
    });
    after(async () => await glose.destroy());

    const get = async (path: string, accept = "text/html") => {
      const response = await fetch(`${glose.origin}${path}`, { headers: { Accept: accept } });
      return { status: response.status, type: response.headers.get("content-type") ?? "", text: await response.text() };
    };
    const assertErrorPage = (page: { type: string; text: string }, title: string) => {
      assert.match(page.type, /^text\/html/);
      assert.match(page.text, /<html lang="fr">/);
      assert.match(page.text, new RegExp(`<title>${title} · Le sblog</title>`));
      assert.match(page.text, new RegExp(`<h1>${title}</h1>`));
      assert.match(page.text, /<a class="button" href="\/">Retour à l’accueil<\/a>/);
      assert.match(page.text, /<header class="site-header">/);
    };

    it("answers an unknown address with a 404 page of the blog", async () => {
      for (const path of ["/nowhere", "/p/nothere1", "/static/nothing.css", "/daily/2026"]) {
        const page = await get(path);
        assert.equal(page.status, 404, path);
        assertErrorPage(page, "Page introuvable");
      }
    });

    it("keeps short answers for programs asking JSON or the API", async () => {
      for (const [path, accept] of [["/p/nothere1", "application/activity+json"], ["/nowhere", "application/json"], ["/api/v1/nowhere", "text/html"]] as const) {
        const page = await get(path, accept);
        assert.equal(page.status, path.startsWith("/api/") ? page.status : 404, path);
        assert.doesNotMatch(page.text, /<html/, path);
      }
    });

    it("answers a deleted post with a 410 page, and a Tombstone to servers", async () => {
      const page = await get(`/p/${ids.gone}`);
      assert.equal(page.status, 410);
      assertErrorPage(page, "Lien supprimé");
      const tombstone = await get(`/p/${ids.gone}`, "application/activity+json");
      assert.equal(tombstone.status, 410);
      assert.equal(JSON.parse(tombstone.text).type, "Tombstone");
    });

    it("answers a failure with a 500 page of the blog, and plain text to programs", async () => {
      // A link no URL parser accepts (only a direct write can store it) fails the home page.
      await insertPost(glose.database.db, { id: "broken22", url: "not a url", title: "Cassé", comment: "", comment_html: "", tags: [], visibility: "public", language: "fr" });
      try {
        const page = await get("/");
        assert.equal(page.status, 500);
        assertErrorPage(page, "Une erreur est survenue");
        const json = await get("/", "application/json");
        assert.equal(json.status, 500);
        assert.doesNotMatch(json.text, /<html/);
      } finally {
        await sql`delete from posts where id = 'broken22'`.execute(glose.database.db);
      }
    });

    it("shows a tag in the case typed, at any case of its address, with every spelling's posts", async () => {
      const lower = await get("/tags/ia");
      const upper = await get("/tags/IA");
      for (const page of [lower, upper]) {
        assert.equal(page.status, 200);
        assert.match(page.text, /<h1>Liens étiquetés #IA<\/h1>/);
        for (const key of ["upper", "lower", "again"]) assert.match(page.text, new RegExp(`href="/p/${ids[key]}"`), key);
      }
      const home = await get("/");
      assert.match(home.text, /href="\/tags\/IA">#IA</);
      assert.match(home.text, /href="\/tags\/%C3%89cologie">#Écologie</);
      const feed = await get("/tags/iA/feed.atom", "application/atom+xml");
      assert.equal(feed.status, 200);
      assert.equal(feed.text.match(/<entry>/g)?.length, 3);
    });

    it("lists tags once per spelling group, sorted in the blog's language", async () => {
      const page = await get("/tags");
      const list = /<ul class="tag-list">([\s\S]*?)<\/ul>/.exec(page.text)?.[1] ?? "";
      const names = [...list.matchAll(/>#([^<]+)</g)].map((match) => match[1]);
      assert.deepEqual(names, ["Écologie", "éducation", "IA", "zoologie"]);
      assert.match(list, /#IA<\/a> <span class="hint">3 liens<\/span>/);
    });

    it("sets a French post's title and card text in French typography, escaped after", async () => {
      const page = await get(`/p/${ids.typeset}`);
      const title = "Vraiment\u202F? Un «\u202Ftest\u202F»";
      assert.ok(page.text.includes(`<title>${title} · Le sblog</title>`), "title");
      assert.ok(page.text.includes(`<meta property="og:title" content="${title}">`), "og:title");
      assert.ok(page.text.includes(`<meta name="twitter:title" content="${title}">`), "twitter:title");
      assert.ok(page.text.includes(`<meta property="og:description" content="À lire\u00A0: vite\u202F!">`), "og:description");
      const english = await get(`/p/${ids.english}`);
      assert.ok(english.text.includes("<title>Really ? A &quot;test&quot; · Le sblog</title>"), "an English title stays as typed");
      const feed = await get("/feed.atom", "application/atom+xml");
      assert.ok(feed.text.includes(`<title type="text">${title}</title>`), "feed entry title");
    });

    it("finds #tags in search whatever their case", async () => {
      const page = await get("/search?q=%23ia");
      for (const key of ["upper", "lower", "again"]) assert.match(page.text, new RegExp(`href="/p/${ids[key]}"`), key);
    });
  });
}
