// The moving page in process: exports and backups download, a backup restores into another
// fresh Glose through the form, and bad requests get a 4xx that says why.
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

for (const backend of backends()) {
  describe(`the moving page (${backend})`, () => {
    let source: TestGlose;
    let target: TestGlose;
    let admin: AdminClient;
    before(async () => {
      [source, target] = await Promise.all([startTestGlose(backend), startTestGlose(backend)]);
      admin = new AdminClient(source.origin);
      await admin.logIn(OWNER_PASSWORD);
      await admin.publish({ url: "https://example.org/public", title: "Public" });
      await admin.publish({ url: "https://example.org/private", title: "Privé", visibility: "private" });
    });
    after(async () => {
      await source?.destroy();
      await target?.destroy();
    });

    it("is the owner's only", async () => {
      const stranger = new AdminClient(source.origin);
      assert.equal((await stranger.request("/admin/moving")).status, 401);
      assert.equal((await stranger.request("/admin/moving/export")).status, 401);
      assert.equal((await stranger.submit("/admin/moving/backup", {})).status, 401);
    });

    it("downloads the posts as a bookmark file, all or by visibility", async () => {
      const all = await admin.request("/admin/moving/export?selection=all");
      assert.equal(all.status, 200);
      assert.match(all.headers.get("content-disposition") ?? "", /^attachment; filename="glose-bookmarks-all-/);
      const text = await all.text();
      assert.match(text, /^<!DOCTYPE NETSCAPE-Bookmark-file-1>/);
      assert.match(text, /HREF="https:\/\/example\.org\/public"[^>]*PRIVATE="0"/);
      assert.match(text, /HREF="https:\/\/example\.org\/private"[^>]*PRIVATE="1"/);
      assert.doesNotMatch(await (await admin.request("/admin/moving/export?selection=public")).text(), /Privé/);
      assert.equal((await admin.request("/admin/moving/export?selection=everything")).status, 400);
    });

    it("refuses a Shaarli import without a usable address or secret", async () => {
      const local = await admin.submit("/admin/moving/shaarli", { url: "file:///etc/passwd", secret: "x", duplicates: "skip" });
      assert.equal(local.status, 400);
      assert.match(await local.text(), /Shaarli address: it must be an http:\/\/ or https:\/\/ address/);
      const french = await admin.submit("/admin/moving/shaarli", { url: "file:///etc/passwd", secret: "x" }, { "Accept-Language": "fr" });
      assert.equal(french.status, 400);
      assert.match(await french.text(), /Adresse du Shaarli : elle doit commencer par http:\/\/ ou https:\/\//);
      const noSecretFr = await admin.submit("/admin/moving/shaarli", { url: "https://links.example/", secret: "" }, { "Accept-Language": "fr" });
      assert.match(await noSecretFr.text(), /Le secret de l’API Shaarli est nécessaire/);
      const noFileFr = await admin.submit("/admin/moving/import", {}, { "Accept-Language": "fr" });
      assert.match(await noFileFr.text(), /Choisissez un fichier à importer/);
      const selection = await admin.request("/admin/moving/export?selection=everything", { headers: { "Accept-Language": "fr" } });
      assert.equal(selection.status, 400);
      assert.match(await selection.text(), /La sélection doit être all, public ou private/);
      const noSecret = await admin.submit("/admin/moving/shaarli", { url: "https://links.example/", secret: "", duplicates: "skip" });
      assert.equal(noSecret.status, 400);
      const noFile = await admin.submit("/admin/moving/import", { duplicates: "skip" });
      assert.equal(noFile.status, 400);
    });

    it("says why a move cannot start, in the admin's language", async () => {
      const unknown = await admin.submit("/admin/moving/alias", { handle: "nobody" }, { "Accept-Language": "fr" });
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /Aucun compte ne répond à cet identifiant/);
      const english = await admin.submit("/admin/moving/move", { handle: "nobody" }, { "Accept-Language": "en" });
      assert.match(await english.text(), /No account answers to that handle/);
    });

    it("downloads a backup, without keys unless asked, that restores into an empty Glose only", async () => {
      const response = await admin.submit("/admin/moving/backup", {});
      assert.equal(response.status, 200);
      const archive = Buffer.from(await response.arrayBuffer());
      const lines = gunzipSync(archive).toString("utf8").split("\n");
      assert.match(lines[0]!, /"format":"glose-backup".*"keys":false/);
      assert.ok(!lines.some((line) => line.startsWith('{"table":"key_pairs"')));
      const withKeys = await admin.submit("/admin/moving/backup", { keys: "1" });
      assert.ok(gunzipSync(Buffer.from(await withKeys.arrayBuffer())).toString("utf8").includes('{"table":"key_pairs"'));

      const restorer = new AdminClient(target.origin);
      await restorer.logIn(OWNER_PASSWORD);
      const upload = async (client: AdminClient, bytes: Uint8Array, language = "en") => {
        return await client.upload("/admin/moving/restore", {}, { file: new File([new Uint8Array(bytes)], "backup.jsonl.gz") }, { "Accept-Language": language });
      };
      const garbage = await upload(restorer, Buffer.from("not a backup"));
      assert.equal(garbage.status, 400);
      assert.match(await garbage.text(), /This file is not a Glose backup/);
      const garbageFr = await upload(restorer, Buffer.from("not a backup"), "fr");
      assert.equal(garbageFr.status, 400);
      assert.match(await garbageFr.text(), /Ce fichier n’est pas une sauvegarde de Glose/);
      const restored = await upload(restorer, archive);
      assert.equal(restored.status, 303);
      const home = await (await fetch(`${target.origin}/`)).text();
      assert.match(home, /Public/);
      assert.doesNotMatch(home, /Privé/);
      const again = await upload(restorer, archive);
      assert.equal(again.status, 400);
      assert.match(await again.text(), /already has posts/);
      const againFr = await upload(restorer, archive, "fr");
      assert.match(await againFr.text(), /Ce Glose a déjà des liens : restaurez dans un Glose vide/);
    });
  });
}
