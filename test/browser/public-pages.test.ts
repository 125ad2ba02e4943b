// Every public page in a real browser, with the French sample corpus loaded: axe finds nothing,
// nothing overflows a phone, screenshots in light and dark; on a phone the first screen shows a
// whole post title; lists are short excerpts; French typography and case-kept tags show.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import type { Browser } from "playwright-core";
import { insertReaction } from "../../src/data/reactions.ts";
import { upsertRemoteActor } from "../../src/data/remote-actors.ts";
import { insertReply } from "../../src/data/replies.ts";
import { jsonb } from "../../src/data/json.ts";
import { createPost, deletePost, type PostFederation } from "../../src/services/publishing.ts";
import { checkPage, launchBrowser, missingBrowser, newContext, SCREENSHOTS, WIDTHS } from "../helpers/browser.ts";
import { startTestGlose, type TestGlose } from "../helpers/glose.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const svg = (body: string, width: number, height: number) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`)}`;
const LONG_URL = `https://example.org/${"un-chemin-tres-long-sans-espace-".repeat(6)}?utm_source=mastodon&utm_medium=social`;
const TAGS = ["politique", "IA", "numérique", "éducation", "Écologie", "zoologie", "médias", "X"];

/** The corpus as posts: a short line is a title, the longer lines after it its commentary. */
async function corpusPosts(): Promise<{ title: string; comment: string }[]> {
  const lines = (await readFile(new URL("../fixtures/sblog-posts.txt", import.meta.url), "utf8")).split("\n").filter((line) => line.trim() !== "");
  const posts: { title: string; comment: string[] }[] = [];
  for (const line of lines) {
    const last = posts.at(-1);
    if (line.length < 140 || last === undefined || last.comment.length >= 4) posts.push({ title: line.slice(0, 200), comment: [] });
    else last.comment.push(line);
  }
  return posts.map((post) => ({ title: post.title, comment: post.comment.join("\n\n") }));
}

// A browser that stops answering fails the file instead of holding the whole run.
describe("public pages in a browser", { skip: missingBrowser, timeout: 600_000 }, () => {
  let glose: TestGlose;
  let browser: Browser;
  const ids: Record<string, string> = {};
  before(async () => {
    glose = await startTestGlose("pglite");
    const db = glose.database.db;
    const deps = { db, federation: unsent, origin: glose.origin };
    const start = Date.parse("2026-11-02T08:00:00Z");
    const posts = (await corpusPosts()).slice(0, 24);
    for (const [i, post] of posts.entries()) {
      const result = await createPost(deps, {
        url: `https://example.org/sblog/${i}`,
        title: post.title,
        comment: post.comment,
        tags: [TAGS[i % TAGS.length]!, TAGS[(i * 3 + 1) % TAGS.length]!],
        language: "fr",
        publishedAt: new Date(start + i * 3 * 3_600_000),
      });
      assert.ok(result.ok);
      ids[`post${i}`] = result.post.id;
    }
    const untitled = await createPost(deps, { url: LONG_URL, comment: `Un lien sans titre : ${LONG_URL}`, tags: "ia", language: "fr", publishedAt: new Date(start + 80 * 3_600_000) });
    assert.ok(untitled.ok);
    ids.untitled = untitled.post.id;
    const gone = await createPost(deps, { url: "https://example.org/gone", title: "Supprimé", language: "fr", publishedAt: new Date(start - 86_400_000) });
    assert.ok(gone.ok);
    assert.ok((await deletePost(deps, gone.post.id)).ok);
    ids.gone = gone.post.id;

    // A conversation under the newest corpus post: a reply, an answer to it, a like.
    const target = ids.post23!;
    await upsertRemoteActor(db, { id: "https://peer.example/users/alice", handle: "@alice@peer.example", name: "Alice", url: "https://peer.example/@alice", icon_url: null, inbox_url: null, shared_inbox_url: null, emojis: [], fields: [] });
    const reply = (id: string, inReplyTo: string, text: string, minutes: number) =>
      insertReply(db, {
        id, post_id: target, in_reply_to: inReplyTo, actor_id: "https://peer.example/users/alice", url: id,
        content_html: `<p>${text}</p>`, summary: null, language: "fr", public: true,
        published_at: new Date(start + 70 * 3_600_000 + minutes * 60_000), updated_at: null, deleted_at: null,
        emojis: jsonb([]), attachments: jsonb([]),
      });
    await reply("https://peer.example/notes/1", `${glose.origin}/p/${target}`, "Merci pour ce lien, très éclairant.", 1);
    await reply("https://peer.example/notes/2", "https://peer.example/notes/1", "Et la suite est encore mieux.", 2);
    await insertReaction(db, { activity_id: "https://peer.example/likes/1", kind: "like", post_id: target, actor_id: "https://peer.example/users/alice" });

    await sql`update account set display_name = 'Le sblog', language = 'fr',
      summary = ${"Des liens commentés, surtout sur le numérique et la politique.\n\nRéponses bienvenues depuis le fédivers."},
      avatar_url = ${svg('<rect width="96" height="96" fill="#c0392b"/><text x="48" y="62" font-size="44" text-anchor="middle" fill="#fff">S</text>', 96, 96)},
      header_url = ${svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#1a5fb4"/><stop offset="1" stop-color="#26a269"/></linearGradient></defs><rect width="1500" height="500" fill="url(#g)"/>', 1500, 500)},
      fields = ${JSON.stringify([{ name: "Site", value: "https://example.org/" }])}::jsonb`.execute(db);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await glose?.destroy();
  });

  it("passes axe, fits a phone and is screenshotted on every public page", async () => {
    const day = "2026-11-03";
    const home = await (await fetch(`${glose.origin}/`)).text();
    const older = /href="(\/\?before=[^"]+)"/.exec(home)?.[1]?.replaceAll("&amp;", "&");
    assert.ok(older, "the home page links to older posts");
    const pages: [string, string, number?][] = [
      ["home", "/"],
      ["home-page-2", older],
      ["permalink", `/p/${ids.post23}`],
      ["permalink-untitled", `/p/${ids.untitled}`],
      ["tag", "/tags/numérique"],
      ["tags", "/tags"],
      ["daily", `/daily?day=${day}`],
      ["search", "/search?q=p%C3%A9dopornographie"],
      ["search-empty", "/search"],
      ["not-found", "/nowhere", 404],
      ["gone", `/p/${ids.gone}`, 410],
    ];
    for (const [name, path, status] of pages) await checkPage(browser, `public-${name}`, `${glose.origin}${path}`, { expectedStatus: status });
  });

  it("shows a whole post title in the first screen of a phone", async (t) => {
    const context = await newContext(browser, { width: "phone" });
    try {
      const page = await context.newPage();
      await page.goto(`${glose.origin}/`);
      // The header keeps to one line: the name, then the navigation as named icons.
      const header = await page.locator(".site-header").boundingBox();
      assert.ok(header !== null && header.height <= 56, `the header is ${header?.height}px tall`);
      assert.equal(await page.getByRole("link", { name: "Quotidien" }).isVisible(), true);
      const box = await page.locator("article .post-title").first().boundingBox();
      assert.ok(box !== null);
      assert.ok(box.y + box.height < WIDTHS.phone[1], `the first title ends at ${box.y + box.height}px`);
      await page.screenshot({ path: new URL("public-home-phone-first-screen.png", SCREENSHOTS).pathname });
      t.diagnostic(`the header is ${Math.round(header.height)}px tall; the first title ends ${Math.round(box.y + box.height)}px down a ${WIDTHS.phone[1]}px phone screen`);
    } finally {
      await context.close();
    }
  });

  it("keeps the home page short: excerpts, no empty counts, readable untitled links", async (t) => {
    const heights: Record<string, number> = {};
    for (const width of ["phone", "desktop"] as const) {
      const context = await newContext(browser, { width });
      try {
        const page = await context.newPage();
        await page.goto(`${glose.origin}/`);
        heights[width] = await page.evaluate(() => document.documentElement.scrollHeight);
        assert.equal(await page.locator("article.post").count(), 20);
        assert.equal(await page.locator("text=/\\b0 (réponse|favori|partage)/").count(), 0);
        assert.ok((await page.locator("a.more").count()) > 0, "long commentaries end with a link to the whole text");
        const untitled = page.locator(`article:has(a[href="/p/${ids.untitled}"]) .post-title`);
        assert.doesNotMatch((await untitled.textContent()) ?? "", /^https?:/);
      } finally {
        await context.close();
      }
    }
    t.diagnostic(`home page height with 20 posts: ${heights.phone}px at 390px, ${heights.desktop}px at 1280px`);
    assert.ok(heights.desktop! < 6000, `desktop home is ${heights.desktop}px tall`);
    assert.ok(heights.phone! < 9000, `phone home is ${heights.phone}px tall`);
  });

  it("sets French posts in French typography and keeps the case of tags", async () => {
    const html = await (await fetch(`${glose.origin}/p/${ids.post23}`)).text();
    const article = /<article[\s\S]*?<\/article>/.exec(html)?.[0] ?? "";
    assert.match(article, /\u00A0:/u);
    assert.doesNotMatch(article.replace(/<[^>]*>/g, ""), / [:;!?»]|« /u);
    const tag = await (await fetch(`${glose.origin}/tags/ia`)).text();
    const upper = await (await fetch(`${glose.origin}/tags/IA`)).text();
    assert.match(tag, /<h1>[^<]*#IA<\/h1>/);
    const articles = (page: string) => [...page.matchAll(/<a class="u-url date" href="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(articles(tag), articles(upper));
    assert.ok(articles(tag).includes(`/p/${ids.untitled}`), "a post tagged ia shows under #IA");
  });
});
