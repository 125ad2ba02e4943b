// The admin in Chromium: every admin page passes axe, fits a phone and is screenshotted in light
// and dark; the editor publishes with Ctrl+Enter, previews as one types, never fetches the title
// on Enter, asks before deleting; the bookmarklet's popup fits its window and closes itself after
// publishing; a refused avatar keeps the name and bio typed.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext } from "playwright-core";
import { insertReply } from "../../src/data/replies.ts";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { checkPage, launchBrowser, missingBrowser, newContext } from "../helpers/browser.ts";
import { OWNER_PASSWORD, startFreshGlose, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

/** Logs in over HTTP and returns the session cookie, as the browser would hold it. */
async function sessionCookie(origin: string): Promise<{ name: string; value: string; url: string }[]> {
  const first = await fetch(`${origin}/admin`);
  await first.body?.cancel();
  const csrf = /glose_csrf=([^;]+)/.exec(first.headers.getSetCookie().join("\n"))![1]!;
  const login = await fetch(`${origin}/admin/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin, Cookie: `glose_csrf=${csrf}` },
    body: new URLSearchParams({ _csrf: csrf, password: OWNER_PASSWORD }),
  });
  await login.body?.cancel();
  const session = /glose_session=([^;]+)/.exec(login.headers.getSetCookie().join("\n"))![1]!;
  return [
    { name: "glose_session", value: session, url: origin },
    { name: "glose_csrf", value: csrf, url: origin },
  ];
}

// A browser that stops answering fails the file instead of holding the whole run.
describe("the admin in a browser", { skip: missingBrowser, timeout: 600_000 }, () => {
  let glose: TestGlose;
  let browser: Browser;
  let cookies: Awaited<ReturnType<typeof sessionCookie>>;
  let site: Server;
  let siteOrigin: string;
  let postId: string;
  const deps = () => ({ db: glose.database.db, federation: unsent });
  const isDeleted = async (id: string) =>
    (await glose.database.db.selectFrom("posts").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow()).deleted_at !== null;

  before(async () => {
    glose = await startTestGlose("pglite", { DELETE_UNDO_SECONDS: "600" });
    for (let i = 0; i < 30; i++) {
      const created = await createPost(deps(), {
        url: `https://example.org/admin/${i}`,
        title: `Un lien du tableau de bord, numéro ${i}, avec un titre assez long pour passer à la ligne`,
        comment: "Un commentaire.",
        tags: i % 2 === 0 ? "pair" : "impair",
        visibility: i % 5 === 0 ? "private" : "public",
        language: "fr",
      });
      assert.ok(created.ok);
      postId = created.post.id;
    }
    await insertReply(glose.database.db, {
      id: "https://peer.example/replies/1",
      post_id: postId,
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
    site = createServer((_request, response) => {
      response.setHeader("Content-Type", "text/html; charset=utf-8");
      response.end("<!doctype html><html lang=fr><head><title>Une page à partager</title></head><body><p>Un texte.</p></body></html>");
    });
    site.listen(0, "127.0.0.1");
    await once(site, "listening");
    siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    cookies = await sessionCookie(glose.origin);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    site?.close();
    await glose?.destroy();
  });

  const ownerContext = async (options: Parameters<typeof newContext>[1] = {}): Promise<BrowserContext> =>
    await newContext(browser, { cookies, ...options });

  it("passes axe, fits a phone and is screenshotted, on every admin page", async () => {
    await checkPage(browser, "admin-login", `${glose.origin}/admin`, { expectedStatus: 401 });
    const pages: [string, string][] = [
      ["admin-dashboard", "/admin"],
      ["admin-dashboard-filtered", "/admin?q=lien&visibility=public&tag=pair&page=2"],
      ["admin-dashboard-secret", "/admin?secret=show"],
      ["admin-editor-new", "/admin/posts/new"],
      ["admin-editor-edit", `/admin/posts/${postId}/edit`],
      ["admin-delete-confirm", `/admin/posts/${postId}/delete`],
      ["admin-share", `/admin/share?post=${encodeURIComponent(`${siteOrigin}/shared`)}&title=Une%20page&source=bookmarklet`],
      ["admin-published", `/admin/posts/${postId}/published`],
      ["admin-deliveries", `/admin/posts/${postId}/deliveries`],
      ["admin-settings", "/admin/settings"],
      ["admin-notifications", "/admin/notifications"],
      ["admin-followers", "/admin/followers"],
      ["admin-quotes", "/admin/quotes"],
      ["admin-blocks", "/admin/blocks"],
      ["admin-tags", "/admin/tags"],
      ["admin-link-health", "/admin/links/health"],
      ["admin-moving", "/admin/moving"],
    ];
    const failures: string[] = [];
    for (const [name, path] of pages) {
      try {
        await checkPage(browser, name, `${glose.origin}${path}`, { cookies });
      } catch (error) {
        failures.push(String(error).slice(0, 600));
      }
    }
    assert.deepEqual(failures, []);
  });

  it("passes axe on the setup page of a Glose without an account", async () => {
    const fresh = await startFreshGlose("pglite");
    try {
      await checkPage(browser, "admin-setup", `${fresh.origin}/admin`);
    } finally {
      await fresh.destroy();
    }
  });

  it("publishes with Ctrl+Enter, and previews while one types", async () => {
    const context = await ownerContext();
    const page = await context.newPage();
    await page.goto(`${glose.origin}/admin/posts/new`);
    await page.fill("#title", "Publié au clavier");
    await page.locator("#comment").pressSequentially("Un *aperçu* en direct");
    await page.locator("#preview .status-content em", { hasText: "aperçu" }).waitFor();
    await page.locator("#preview .blog-preview .post-title", { hasText: "Publié au clavier" }).waitFor();
    await page.fill("#title", "Publié au clavier, vraiment");
    await page.locator("#preview .blog-preview .post-title", { hasText: "vraiment" }).waitFor();
    await Promise.all([page.waitForURL(/\/p\/[a-z0-9]+$/), page.press("#comment", "Control+Enter")]);
    assert.match(await page.textContent("h1.post-title") ?? "", /Publié au clavier, vraiment/);
    await context.close();
  });

  it("never fetches the title on Enter in the link field", async () => {
    const context = await ownerContext();
    const page = await context.newPage();
    await page.goto(`${glose.origin}/admin/posts/new`);
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    await page.fill("#url", `${siteOrigin}/enter`);
    await page.press("#url", "Enter");
    // The live preview asks the server after the keystrokes; once it shows the link, any
    // submission Enter started would have happened.
    await page.locator("#preview .status-content a", { hasText: `${siteOrigin}/enter` }).waitFor();
    assert.equal(navigations, 0);
    assert.equal(await page.inputValue("#title"), "");
    assert.equal(page.url(), `${glose.origin}/admin/posts/new`);
    await context.close();
  });

  it("asks before deleting: cancel keeps the post, confirm deletes it, Undo brings it back", async () => {
    const created = await createPost(deps(), { url: "https://example.org/a-effacer", title: "À effacer", language: "fr" });
    assert.ok(created.ok);
    const id = created.post.id;
    const context = await ownerContext();
    const page = await context.newPage();
    await page.goto(`${glose.origin}/admin/posts/${id}/edit`);
    await page.click("a.delete-link");
    await page.locator("#delete-dialog").waitFor({ state: "visible" });
    await page.click("#delete-dialog [data-close-dialog]");
    await page.locator("#delete-dialog").waitFor({ state: "hidden" });
    assert.equal(page.url(), `${glose.origin}/admin/posts/${id}/edit`);
    assert.equal(await isDeleted(id), false);
    await page.click("a.delete-link");
    await Promise.all([page.waitForURL(`${glose.origin}/admin?deleted=1`), page.click("#delete-dialog button.confirm-delete")]);
    assert.equal(await isDeleted(id), true);
    const undo = page.locator(".undo form", { hasText: "À effacer" });
    await checkPage(browser, "admin-deleted-undo", `${glose.origin}/admin?deleted=1`, { cookies });
    await Promise.all([page.waitForURL(`${glose.origin}/admin?restored=1`), undo.locator("button").click()]);
    assert.equal(await isDeleted(id), false);
    assert.equal(await page.locator(".undo form", { hasText: "À effacer" }).count(), 0);
    await context.close();
  });

  it("fits the bookmarklet's popup in its window, and closes it after publishing", async () => {
    const context = await ownerContext();
    const dashboard = await context.newPage();
    await dashboard.goto(`${glose.origin}/admin`);
    const bookmarklet = (await dashboard.getAttribute("a.bookmarklet", "href"))!;
    const reader = await context.newPage();
    await reader.setViewportSize({ width: 600, height: 500 });
    await reader.goto(`${siteOrigin}/article`);
    const [popup] = await Promise.all([
      context.waitForEvent("page"),
      reader.evaluate((code) => (0, eval)(decodeURIComponent(code)), bookmarklet.replace(/^javascript:/, "")),
    ]);
    await popup.setViewportSize({ width: 600, height: 500 });
    await popup.waitForLoadState();
    assert.equal(await popup.inputValue("#title"), "Une page à partager");
    const publish = await popup.locator("button.publish").boundingBox();
    assert.ok(publish !== null && publish.y >= 0 && publish.y + publish.height <= 500, `Publish at ${JSON.stringify(publish)}`);
    assert.equal(await popup.evaluate(() => document.documentElement.scrollWidth - window.innerWidth <= 1), true);
    await Promise.all([popup.waitForEvent("close"), popup.click("button.publish")]);
    const published = await glose.database.db.selectFrom("posts").select("title").where("url", "=", `${siteOrigin}/article`).executeTakeFirst();
    assert.equal(published?.title, "Une page à partager");
    await context.close();
  });

  it("keeps the name and bio typed when the avatar is refused", async () => {
    const context = await ownerContext();
    const page = await context.newPage();
    await page.goto(`${glose.origin}/admin/settings`);
    await page.fill("#display_name", "Un nom tapé à la main");
    await page.fill("#summary", "Une présentation tapée à la main");
    await page.setInputFiles("#avatar", { name: "avatar.png", mimeType: "image/png", buffer: Buffer.from("pas une image") });
    await Promise.all([page.waitForLoadState(), page.click("form[action='/admin/settings'] button[type=submit]")]);
    await page.locator("#form-error").waitFor();
    assert.match((await page.textContent("#form-error")) ?? "", /^Avatar/);
    assert.equal(await page.inputValue("#display_name"), "Un nom tapé à la main");
    assert.equal(await page.inputValue("#summary"), "Une présentation tapée à la main");
    assert.equal(await page.getAttribute("#avatar", "aria-invalid"), "true");
    await context.close();
  });
});
