// The admin's and the app's guards over real HTTP: an expired session is no session, a login
// never redirects off the site, an upload must be an image, the followers collection pages
// past its first page, and the feeds answer where the real app mounts them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

for (const backend of backends()) {
  describe(`admin and app guards (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend);
    });
    after(async () => await glose.destroy());

    it("treats an expired session as logged out", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const before = await admin.request("/admin/notifications");
      assert.equal(before.status, 200);
      await before.body?.cancel();
      await sql`update sessions set expires_at = now() - interval '1 second'`.execute(glose.database.db);
      const after = await admin.request("/admin/notifications");
      assert.equal(after.status, 401);
      assert.match(await after.text(), /action="\/admin\/login"/);
    });

    it("follows a login only to a path of this site", async () => {
      for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example", "http:/evil.example", "javascript:alert(1)"]) {
        const client = new AdminClient(glose.origin);
        const response = await client.submit("/admin/login", { password: OWNER_PASSWORD, next });
        assert.equal(response.status, 303);
        assert.equal(response.headers.get("location"), "/admin", next);
        await response.body?.cancel();
      }
      const client = new AdminClient(glose.origin);
      const response = await client.submit("/admin/login", { password: OWNER_PASSWORD, next: "/admin/notifications?x=1" });
      assert.equal(response.headers.get("location"), "/admin/notifications?x=1");
      await response.body?.cancel();
    });

    it("refuses an upload that only claims to be an image, and keeps the profile", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const response = await admin.upload("/admin/settings", { display_name: "Nouveau nom" }, { avatar: new File(["<svg onload=alert(1)>"], "avatar.png", { type: "image/png" }) });
      assert.equal(response.status, 400);
      await response.body?.cancel();
      const { rows } = await sql<{ avatar_url: string | null; display_name: string }>`select avatar_url, display_name from account`.execute(glose.database.db);
      assert.equal(rows[0]?.avatar_url, null);
      assert.notEqual(rows[0]?.display_name, "Nouveau nom");
    });

    it("pages the followers collection past its first page, without repeats", async () => {
      const followers = Array.from({ length: 45 }, (_, i) => ({
        actor_id: `https://peer${i % 3}.example/users/u${i}`,
        follow_id: `https://peer${i % 3}.example/follows/${i}`,
        inbox_url: `https://peer${i % 3}.example/users/u${i}/inbox`,
        shared_inbox_url: `https://peer${i % 3}.example/inbox`,
        handle: `@u${i}@peer${i % 3}.example`,
        created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 10)),
      }));
      await glose.database.db.insertInto("followers").values(followers).execute();
      const get = async (url: string) => (await (await fetch(url, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      const collection = await get(`${glose.origin}/users/${OWNER}/followers`);
      assert.equal(collection.totalItems, 45);
      const seen: string[] = [];
      let page = await get(typeof collection.first === "string" ? collection.first : collection.first.id);
      const sizes: number[] = [];
      for (;;) {
        const items = [page.orderedItems ?? []].flat();
        sizes.push(items.length);
        seen.push(...items);
        if (page.next === undefined) break;
        page = await get(page.next);
      }
      assert.deepEqual(sizes, [40, 5]);
      assert.equal(new Set(seen).size, 45);
      await sql`delete from followers`.execute(glose.database.db);
    });

    it("serves the blog's, a tag's and a search's feeds where the app mounts them", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      await admin.publish({ url: "https://example.org/feed", title: "Pour le flux", comment: "Un avis.", tags: "veille" });
      for (const [path, type] of [
        ["/feed.atom", "application/atom+xml"],
        ["/feed.rss", "application/rss+xml"],
        ["/tags/veille/feed.atom", "application/atom+xml"],
        ["/tags/veille/feed.rss", "application/rss+xml"],
        ["/search/feed.atom?q=flux", "application/atom+xml"],
        ["/search/feed.rss?q=flux", "application/rss+xml"],
      ] as const) {
        const response = await fetch(`${glose.origin}${path}`);
        assert.equal(response.status, 200, path);
        assert.ok((response.headers.get("content-type") ?? "").startsWith(type), path);
        assert.match(await response.text(), /Pour le flux/, path);
      }
    });
  });
}
