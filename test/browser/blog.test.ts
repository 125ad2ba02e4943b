// In a real browser (Debian's Chromium, driven by playwright-core): the owner writes, edits and
// deletes a post; a visitor searches and opens a tag page. Screenshots of the home page and a
// permalink, at phone and desktop widths, go to test-output/screenshots/.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = new URL("../../test-output/screenshots/", import.meta.url);
const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

// Skipped, with the reason printed, on a developer's machine without Chromium; in CI (CI=true)
// a missing browser is a failure, so that these tests cannot silently stop running.
const missingBrowser = existsSync(CHROMIUM) ? false : "Chromium is not installed (apt-get install chromium)";

// A browser that stops answering fails the file instead of holding the whole run.
describe("the blog in a browser", { skip: process.env.CI ? false : missingBrowser, timeout: 600_000 }, () => {
  let glose: TestGlose;
  let browser: Browser;
  before(async () => {
    if (missingBrowser) throw new Error(`${missingBrowser}: CI must run the browser tests`);
    glose = await startTestGlose("pglite");
    const deps = { db: glose.database.db, federation: unsent };
    const corpus = [
      ["Chronique — Contre X", "Avec l’imbrication de sa plateforme X et du logiciel Grok, des images **pédopornographiques** sont générées.", "tech politique"],
      ["Mon sblog est de retour !", "Après une longue pause, « le retour » du sblog.", "meta"],
      ["Capgemini et l’ICE", "Capgemini aide la police anti-immigration américaine à localiser des étrangers.", "politique numérique"],
    ];
    for (const [title, comment, tags] of corpus) {
      assert.ok((await createPost(deps, { url: `https://example.org/${encodeURIComponent(title!)}`, title, comment, tags, language: "fr" })).ok);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await glose?.destroy();
  });

  const newPage = async (width: number, height: number): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height }, locale: "fr-FR" });
    return await context.newPage();
  };

  it("lets the owner write, edit and delete a post", async () => {
    const page = await newPage(1280, 900);
    await page.goto(`${glose.origin}/admin`);
    await page.fill("#password", OWNER_PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(`${glose.origin}/admin`);
    await page.click("a.new-post");
    await page.fill("#url", "https://example.org/navigateur");
    await page.fill("#title", "Un lien écrit dans le navigateur");
    await page.fill("#comment", "Un commentaire avec de l’*emphase*.");
    await page.fill("#tags", "navigateur essai");
    await page.click(".actions button[value=preview]");
    assert.ok(await page.isVisible("#preview .status"));
    await page.click("button[value=save]");
    await page.waitForURL(/\/p\/[a-z0-9]+$/);
    const permalink = page.url();
    assert.equal(await page.textContent("h1.post-title a"), "Un lien écrit dans le navigateur");

    await page.goto(`${glose.origin}/`);
    assert.ok(await page.isVisible("text=Un lien écrit dans le navigateur"));
    assert.ok(await page.isVisible("a[href='/tags/navigateur']"));

    await page.goto(permalink);
    await page.click("a.edit");
    await page.fill("#title", "Un lien corrigé dans le navigateur");
    await page.click("button[value=save]");
    await page.waitForURL(permalink);
    assert.equal(await page.textContent("h1.post-title a"), "Un lien corrigé dans le navigateur");

    // Delete asks first, on a page of its own from the permalink.
    await page.click("a.delete-link");
    await page.waitForURL(/\/admin\/posts\/[a-z0-9]+\/delete$/);
    await page.click("button.confirm-delete");
    await page.waitForURL(/\/admin\?deleted=1$/);
    const gone = await page.goto(permalink);
    assert.equal(gone?.status(), 410);
  });

  it("lets a visitor search and open a tag page", async () => {
    const page = await newPage(1280, 900);
    await page.goto(`${glose.origin}/`);
    await page.fill("input[name=q]", "pédopornographie");
    await page.press("input[name=q]", "Enter");
    await page.waitForURL(/\/search\?q=/);
    assert.ok(await page.isVisible("text=Chronique — Contre X"));
    assert.equal(await page.locator("mark").count() > 0, true);
    await page.click("a[href='/tags/politique']");
    await page.waitForURL(/\/tags\/politique$/);
    assert.equal(await page.locator("article").count(), 2);
  });

  it("writes screenshots of the home page and a permalink at phone and desktop widths", async () => {
    const post = await createPost({ db: glose.database.db, federation: unsent }, {
      url: "https://example.org/capture",
      title: "Une capture d’écran",
      comment: "Un paragraphe de commentaire assez long pour voir la typographie : « guillemets », apostrophes ’ et espaces fines.",
      tags: "capture",
      language: "fr",
    });
    assert.ok(post.ok);
    for (const [name, width, height] of [["phone", 390, 844], ["desktop", 1280, 900]] as const) {
      const page = await newPage(width, height);
      await page.goto(`${glose.origin}/`);
      await page.screenshot({ path: new URL(`home-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
      await page.goto(`${glose.origin}/p/${post.post.id}`);
      await page.screenshot({ path: new URL(`permalink-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
      // Readable on a phone: nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than the screen`);
    }
    for (const file of ["home-phone.png", "home-desktop.png", "permalink-phone.png", "permalink-desktop.png"]) {
      assert.ok(existsSync(new URL(file, SCREENSHOTS)), file);
    }
  });
});
