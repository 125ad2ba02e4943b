// The public blog over real HTTP: every page, escaping, paging, languages, remote interaction.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { startPeer } from "../helpers/processes.ts";

// These pages read what is stored; sending is tested in federation/publishing.test.ts.
const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const HOSTILE = `<script>alert("x")</script> & "quotes" <img src=x onerror=alert(1)>`;

for (const backend of backends()) {
  describe(`public blog (${backend})`, () => {
    let glose: TestGlose;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    const ids: Record<string, string> = {};
    before(async () => {
      [glose, peer] = await Promise.all([startTestGlose(backend), startPeer()]);
      const deps = { db: glose.database.db, federation: unsent };
      const add = async (key: string, input: Parameters<typeof createPost>[1]) => {
        const result = await createPost(deps, input);
        assert.ok(result.ok, key);
        ids[key] = result.post.id;
      };
      const start = Date.parse("2026-03-01T08:00:00Z");
      for (let i = 0; i < 45; i++) {
        await add(`n${i}`, { url: `https://example.org/n/${i}`, title: `Lien numéro ${i}`, tags: i % 2 ? "pair" : "impair", publishedAt: new Date(start + i * 3_600_000) });
      }
      await add("hostile", { url: "https://example.org/hostile", title: HOSTILE, comment: "Texte « français » ’ avec *emphase*", tags: "sécurité", publishedAt: new Date(start + 50 * 3_600_000) });
      await add("pinned", { url: "https://example.org/pinned", title: "Épinglé en tête", pinned: true, publishedAt: new Date(start - 86_400_000) });
      await add("private", { title: "Note privée", visibility: "private" });
      await add("followers", { title: "Pour les abonnés", visibility: "followers" });
      await add("unlisted", { url: "https://example.org/unlisted", title: "Non listé", visibility: "unlisted", publishedAt: new Date(start - 2 * 86_400_000) });
      await sql`update account set display_name = 'Le sblog', summary = 'Des liens commentés.'`.execute(glose.database.db);
    });
    after(async () => {
      await glose.destroy();
      await peer.stop();
    });

    const get = async (path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(new URL(path, glose.origin), { headers });
      return { status: response.status, type: response.headers.get("content-type") ?? "", text: await response.text() };
    };

    it("shows the home page: profile, pinned first, 20 posts, older and newer links", async () => {
      const home = await get("/");
      assert.equal(home.status, 200);
      assert.match(home.type, /text\/html/);
      assert.match(home.text, /<h1 class="p-name" id="profile-name">Le sblog<\/h1>/);
      assert.match(home.text, new RegExp(`@${OWNER}@127\\.0\\.0\\.1`));
      assert.match(home.text, /action="\/interact"/);
      assert.ok(home.text.indexOf("Épinglé en tête") < home.text.indexOf("Lien numéro 44"), "pinned first");
      assert.equal((home.text.match(/<article /g) ?? []).length, 21);
      assert.doesNotMatch(home.text, /Note privée|Pour les abonnés/);
      const older = /href="(\/\?before=[^"]+)" rel="next"/.exec(home.text)?.[1];
      assert.ok(older);
      const page2 = await get(older.replaceAll("&amp;", "&"));
      assert.match(page2.text, /Lien numéro 25\b/);
      assert.doesNotMatch(page2.text, /Lien numéro 26\b/);
      const newer = /href="(\/\?after=[^"]+)" rel="prev"/.exec(page2.text)?.[1];
      assert.ok(newer);
      const back = await get(newer.replaceAll("&amp;", "&"));
      assert.match(back.text, /Lien numéro 44/);
      assert.match(back.text, /Lien numéro 26\b/);
      assert.doesNotMatch(back.text, /Lien numéro 25\b/);
    });

    it("escapes hostile titles everywhere and keeps French typography", async () => {
      for (const path of ["/", `/p/${ids.hostile}`, "/tags/s%C3%A9curit%C3%A9", "/daily?day=2026-03-03"]) {
        const page = await get(path);
        assert.equal(page.status, 200, path);
        assert.doesNotMatch(page.text, /<script>alert|<img src=x/, path);
        assert.match(page.text, /&lt;script&gt;alert/, path);
      }
      const permalink = await get(`/p/${ids.hostile}`);
      assert.match(permalink.text, /Texte «\u202Ffrançais\u202F» ’ avec <em>emphase<\/em>/u);
    });

    it("gives permalinks their metadata and the ActivityPub alternate", async () => {
      const page = await get(`/p/${ids.n3}`);
      assert.match(page.text, /<meta property="og:title" content="Lien numéro 3">/);
      assert.match(page.text, /<meta name="twitter:card"/);
      assert.match(page.text, new RegExp(`<link rel="alternate" type="application/activity\\+json" href="${glose.origin}/p/${ids.n3}">`));
      assert.match(page.text, /<link rel="alternate" type="application\/atom\+xml"/);
      assert.match(page.text, /id="replies"/);
      assert.equal((await get(`/p/${ids.private}`)).status, 404);
      assert.equal((await get(`/p/${ids.followers}`)).status, 404);
      assert.equal((await get(`/p/${ids.unlisted}`)).status, 200);
      assert.equal((await get("/p/nothere1")).status, 404);
    });

    it("lists tags with counts and shows a tag's posts", async () => {
      const tags = await get("/tags");
      assert.match(tags.text, /#impair<\/a> <span class="hint">23 posts<\/span>/);
      assert.match(tags.text, /#pair<\/a> <span class="hint">22 posts<\/span>/);
      assert.match(tags.text, /class="tag-cloud"/);
      const pair = await get("/tags/pair");
      assert.equal(pair.status, 200);
      assert.equal((pair.text.match(/<article /g) ?? []).length, 20);
      assert.doesNotMatch(pair.text, /Lien numéro 44</);
      assert.equal((await get("/tags/nothing")).status, 404);
    });

    it("shows one day's posts with the previous and next days", async () => {
      const day = await get("/daily?day=2026-03-02");
      assert.equal((day.text.match(/<article /g) ?? []).length, 24);
      assert.match(day.text, /href="\/daily\?day=2026-03-01" rel="prev"/);
      assert.match(day.text, /href="\/daily\?day=2026-03-03" rel="next"/);
      const latest = await get("/daily");
      assert.match(latest.text, /Lien numéro 44|&lt;script/);
      const empty = await get("/daily?day=2020-01-01");
      assert.match(empty.text, /No posts that day/);
    });

    it("speaks French to French readers", async () => {
      const home = await get("/", { "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5" });
      assert.match(home.text, /<html lang="fr">/);
      assert.match(home.text, /Liens plus anciens/);
      assert.match(home.text, /Suivre depuis votre serveur/);
      const english = await get("/", { "Accept-Language": "de, en;q=0.5" });
      assert.match(english.text, /Older posts/);
    });

    it("shows the owner private posts, marked, with edit links", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const home = await (await admin.request("/")).text();
      assert.match(home, /Note privée/);
      assert.match(home, /class="visibility-mark">Private</);
      assert.match(home, /\/admin\/posts\/[a-z0-9]+\/edit/);
      assert.equal((await admin.request(`/p/${ids.private}`)).status, 200);
    });

    it("sends readers to their own server to follow or reply", async () => {
      const uri = `${glose.origin}/p/${ids.n1}`;
      // WebFinger by handle goes over https only; a loopback peer is found by its profile address.
      const handle = peer.actor;
      const go = await fetch(`${glose.origin}/interact?uri=${encodeURIComponent(uri)}&handle=${encodeURIComponent(handle)}`, { redirect: "manual" });
      assert.equal(go.status, 303);
      assert.equal(go.headers.get("location"), `${peer.origin}/authorize_interaction?uri=${encodeURIComponent(uri)}`);
      const bad = await get(`/interact?uri=${encodeURIComponent(uri)}&handle=nobody`);
      assert.equal(bad.status, 400);
      assert.match(bad.text, new RegExp(uri.replaceAll(".", "\\.")));
      const foreign = await get(`/interact?uri=${encodeURIComponent("https://evil.example/")}&handle=${encodeURIComponent(handle)}`);
      assert.equal(foreign.status, 400);
    });

    it("describes its search for browsers", async () => {
      const description = await get("/opensearch.xml");
      assert.match(description.type, /application\/opensearchdescription\+xml/);
      assert.match(description.text, new RegExp(`template="${glose.origin}/search\\?q=\\{searchTerms\\}"`));
    });

    it("searches, with highlighted excerpts, #tag filters, paging and feeds", async () => {
      const page = await get(`/search?q=${encodeURIComponent("français")}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /1 result\b/);
      assert.match(page.text, /<mark>français<\/mark>/);
      assert.match(page.text, /&lt;script&gt;alert/);
      const tagged = await get(`/search?q=${encodeURIComponent("#pair numéro")}`);
      assert.match(tagged.text, /22 results/);
      assert.equal((tagged.text.match(/<article /g) ?? []).length, 20);
      assert.match(tagged.text, /href="\/search\?q=%23pair%20num%C3%A9ro&amp;page=2" rel="next"/);
      const second = await get(`/search?q=${encodeURIComponent("#pair numéro")}&page=2`);
      assert.equal((second.text.match(/<article /g) ?? []).length, 2);
      assert.doesNotMatch((await get(`/search?q=${encodeURIComponent("privée")}`)).text, /Note privée/);
      const feed = await get(`/search/feed.atom?q=${encodeURIComponent("#pair")}`);
      assert.match(feed.type, /application\/atom\+xml/);
      assert.equal((feed.text.match(/<entry[ >]/g) ?? []).length, 22);
      assert.match(page.text, /href="\/search\/feed\.atom\?q=fran%C3%A7ais"/);
    });
  });
}
