// What went wrong in an import, on the moving page in the owner's language: a refused link names
// its line, a broken file says why, with their values; a job from before keeps its English text.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NETSCAPE_FOOTER, NETSCAPE_HEADER } from "../../src/content/netscape-export.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";

const NBSP = "\u00A0";
const NNBSP = "\u202F";
const link = (url: string, title: string) => `<DT><A HREF="${url}" ADD_DATE="1500000000">${title}</A>\n`;

for (const backend of backends()) {
  describe(`import problems on the moving page (${backend})`, () => {
    let glose: TestGlose;
    let admin: AdminClient;
    /** The line of the refused link: the header's 8 lines, then 3 good links. */
    const badLine = 12;
    before(async () => {
      glose = await startTestGlose(backend);
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const withBadLink = `${NETSCAPE_HEADER}${link("https://example.org/a", "A")}${link("https://example.org/b", "B")}${link("https://example.org/c", "C")}${link("javascript:alert(1)", "Mauvais")}${NETSCAPE_FOOTER}`;
      assert.equal(withBadLink.split("\n").findIndex((line) => line.includes("javascript:")) + 1, badLine);
      const truncated = `${NETSCAPE_HEADER}${link("https://example.org/d", "D")}<DT><H3>Dossier</H3>\n<DL><p>\n`;
      const notDeflated = "<?php /* aGVsbG8gd29ybGQ= */ ?>";
      for (const file of [withBadLink, truncated, notDeflated]) {
        const response = await admin.upload("/admin/moving/import", { duplicates: "skip", dry_run: "1" }, { file: new File([file], "bookmarks.html") });
        assert.equal(response.status, 303);
      }
      // A job finished before problems were stored as data: only its English text.
      await glose.database.db
        .insertInto("import_jobs")
        .values({ source: "file", status: "failed", options: "{}", error: "line 3: an old failure, kept as written" })
        .execute();
      // One written by a version with a failure this one has no words for: its English text too.
      await glose.database.db
        .insertInto("import_jobs")
        .values({ source: "file", status: "failed", options: "{}", issues: JSON.stringify({ failure: { code: "from-the-future" } }), error: "line 4: a failure from another version" })
        .execute();
      await waitFor("the imports to finish", async () => {
        const text = await (await admin.request("/admin/moving")).text();
        return /<strong>(waiting|running|en attente|en cours)/.test(text) ? undefined : true;
      });
    });
    after(async () => {
      await glose?.destroy();
    });

    /** The moving page with the owner's interface language set; the browser asks for the other one. */
    const page = async (language: "en" | "fr") => {
      const saved = await admin.submit("/admin/settings", { display_name: "", summary: "", default_visibility: "public", language: "fr", interface_language: language });
      await saved.body?.cancel();
      assert.equal(saved.status, 303);
      const response = await admin.request("/admin/moving", { headers: { "Accept-Language": language === "fr" ? "en" : "fr" } });
      assert.equal(response.status, 200);
      return await response.text();
    };

    it("words them in French for a French owner, with the values and French typography", async () => {
      const text = await page("fr");
      assert.ok(text.includes(`<pre class="hint">ligne ${badLine}${NBSP}: pas une adresse web</pre>`), text);
      assert.match(text, new RegExp(`échec, rien d’importé</strong><pre class="hint">ligne \\d+${NBSP}: le fichier s’arrête au milieu d’un dossier \\(est-il tronqué${NNBSP}\\?\\)</pre>`));
      assert.ok(text.includes(`datastore.php${NBSP}: les données ne sont pas compressées (gzdeflate)`));
      assert.ok(text.includes(`<pre class="hint" lang="en">line 3: an old failure, kept as written</pre>`));
      assert.ok(text.includes(`<pre class="hint" lang="en">line 4: a failure from another version</pre>`));
      assert.doesNotMatch(text, /not a web address|the file ends inside|is not deflated/);
    });

    it("words them in English for an English owner", async () => {
      const text = await page("en");
      assert.ok(text.includes(`<pre class="hint">line ${badLine}: not a web address</pre>`), text);
      assert.match(text, /failed, nothing imported<\/strong><pre class="hint">line \d+: the file ends inside a folder \(is it truncated\?\)<\/pre>/);
      assert.ok(text.includes("datastore.php: the data is not deflated (gzdeflate)"));
      assert.ok(text.includes("line 3: an old failure, kept as written"));
      assert.doesNotMatch(text, /pas une adresse web|ligne \d/);
    });

    it("gives the same line in both languages", async () => {
      const english = /line (\d+): the file ends inside a folder/.exec(await page("en"));
      const french = new RegExp(`ligne (\\d+)${NBSP}: le fichier s’arrête au milieu d’un dossier`).exec(await page("fr"));
      assert.ok(english !== null && french !== null);
      assert.equal(french[1], english[1]);
    });
  });
}
