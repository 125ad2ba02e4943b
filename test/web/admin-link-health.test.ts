// The link health page of a running Glose, against a site on loopback: counts, the archive link
// that reaches the Note, the moved link updated, checks on demand, and the dead link on the blog.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { getLinkCheck } from "../../src/data/link-checks.ts";
import { getPost } from "../../src/data/posts.ts";
import { linkHealthDeps, runLinkChecks } from "../../src/services/link-health.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const STATUSES: Record<string, [number, Record<string, string>]> = {
  "/missing": [404, {}],
  "/old-home": [301, { location: "/new-home" }],
  "/old-two": [308, { location: "/new-two" }],
};

for (const backend of backends()) {
  describe(`the link health page (${backend})`, () => {
    let glose: TestGlose;
    let site: Server;
    let base: string;
    let admin: AdminClient;
    const ids = { dead: "", moved: "", healthy: "" };
    const runRound = () =>
      runLinkChecks(linkHealthDeps(glose.database.db, { allowPrivateAddress: true, userAgent: "Glose/test", archiveOnPublish: false }));
    const count = (page: string, status: string) => Number(new RegExp(`data-count="${status}">(\\d+)<`).exec(page)?.[1]);

    before(async () => {
      site = createServer((req, res) => {
        const [status, headers] = STATUSES[new URL(req.url ?? "/", base).pathname] ?? [200, { "content-type": "text/html" }];
        res.writeHead(status, headers);
        res.end();
      });
      await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      glose = await startTestGlose(backend);
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      ids.dead = await admin.publish({ url: `${base}/missing`, title: "Disparu", comment: "Un article." });
      ids.moved = await admin.publish({ url: `${base}/old-home`, title: "Déménagé" });
      ids.healthy = await admin.publish({ url: `${base}/fine`, title: "En forme" });
      // A new post's link is checked at the scheduler's next round (every 30 s).
      await runRound();
    });
    after(async () => {
      await glose?.destroy();
      site?.closeAllConnections();
      site?.close();
    });

    it("is the owner's only, and listed in the admin's navigation", async () => {
      const stranger = new AdminClient(glose.origin);
      assert.equal((await stranger.request("/admin/links/health")).status, 401);
      assert.equal((await stranger.submit("/admin/links/health/check-all", {})).status, 401);
      assert.match(await (await admin.request("/admin")).text(), /<a href="\/admin\/links\/health">Link health<\/a>/);
    });

    it("counts and lists dead, moved and healthy links", async () => {
      const page = await (await admin.request("/admin/links/health")).text();
      assert.equal(count(page, "dead"), 1);
      assert.equal(count(page, "moved"), 1);
      assert.equal(count(page, "healthy"), 1);
      assert.match(page, /Disparu/);
      assert.match(page, new RegExp(`→ <a href="${base}/new-home"`));
      // Notices are chosen by key: a crafted address shows none.
      const crafted = await admin.request("/admin/links/health?done=toString&n=x");
      assert.equal(crafted.status, 200);
      assert.doesNotMatch(await crafted.text(), /class="notice"/);
    });

    it("marks the dead link on the blog with archived copies", async () => {
      const page = await (await fetch(`${glose.origin}/p/${ids.dead}`)).text();
      assert.match(page, /class="dead-link"/);
      assert.match(page, new RegExp(`href="https://web.archive.org/web/\\d{14}/${base}/missing"`));
      assert.match(page, new RegExp(`href="https://archive.ph/newest/${base}/missing"`));
      assert.doesNotMatch(await (await fetch(`${glose.origin}/p/${ids.healthy}`)).text(), /class="dead-link"/);
    });

    it("adds an archive link that followers get in the Note", async () => {
      const refused = await admin.submit("/admin/links/health/archive", { post: ids.healthy });
      assert.equal(refused.status, 409);
      assert.match(await refused.text(), /That link is not dead: check it again first\./);
      const refusedFr = await admin.submit("/admin/links/health/archive", { post: ids.healthy }, { "Accept-Language": "fr" });
      assert.equal(refusedFr.status, 409);
      assert.match(await refusedFr.text(), /Ce lien n’est pas mort : vérifiez-le d’abord à nouveau\./);
      const missingFr = await admin.submit("/admin/links/health/check", { post: "nosuchpost" }, { "Accept-Language": "fr" });
      assert.equal(missingFr.status, 404);
      assert.match(await missingFr.text(), /Ce billet n’a pas d’adresse à vérifier\./);
      assert.equal((await admin.submit("/admin/links/health/archive", { post: "nosuchpost" })).status, 404);
      const response = await admin.submit("/admin/links/health/archive", { post: ids.dead });
      assert.equal(response.status, 303);
      const post = (await getPost(glose.database.db, ids.dead))!;
      const stamp = post.published_at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
      const archive = `https://web.archive.org/web/${stamp}/${base}/missing`;
      const note = (await (await fetch(`${glose.origin}/p/${ids.dead}`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { content: string };
      assert.ok(note.content.includes(`href="${archive}"`), note.content);
      assert.match(await (await admin.request("/admin/links/health")).text(), /Archive link added/);
    });

    it("updates a moved link to its new address", async () => {
      assert.equal((await admin.submit("/admin/links/health/update", { post: ids.healthy })).status, 409);
      const response = await admin.submit("/admin/links/health/update", { post: ids.moved });
      assert.equal(response.status, 303);
      assert.equal((await getPost(glose.database.db, ids.moved))!.url, `${base}/new-home`);
      const note = (await (await fetch(`${glose.origin}/p/${ids.moved}`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { attachment?: unknown; content: string };
      assert.ok(JSON.stringify(note).includes(`${base}/new-home`));
    });

    it("checks one link now, or all of them at the next rounds", async () => {
      const response = await admin.submit("/admin/links/health/check", { post: ids.moved });
      assert.equal(response.status, 303);
      const done = response.headers.get("location")!;
      assert.match(await (await admin.request(done, { headers: { "Accept-Language": "en" } })).text(), /Checked: healthy\./);
      assert.match(await (await admin.request(done, { headers: { "Accept-Language": "fr" } })).text(), /Vérifié : en bon état\./);
      assert.equal((await getLinkCheck(glose.database.db, ids.moved))!.status, "healthy");
      assert.equal((await admin.submit("/admin/links/health/check", { post: "nosuchpost" })).status, 404);
      assert.equal((await admin.submit("/admin/links/health/check-all", {})).status, 303);
      const due = await glose.database.db.selectFrom("link_checks").select("next_check_at").execute();
      assert.ok(due.every((row) => row.next_check_at.getTime() <= Date.now()));
      assert.ok((await runRound()) >= 3);
    });

    it("applies the bulk actions to every dead and moved link", async () => {
      const dead = await admin.publish({ url: `${base}/missing?again`, title: "Disparu aussi" });
      const moved = await admin.publish({ url: `${base}/old-two`, title: "Déménagé aussi" });
      await runRound();
      const response = await admin.submit("/admin/links/health/archive-all", {});
      assert.equal(response.status, 303);
      assert.equal(response.headers.get("location"), "/admin/links/health?done=archived-all&n=1");
      assert.match((await getPost(glose.database.db, dead))!.comment, /web\.archive\.org/);
      assert.equal((await admin.submit("/admin/links/health/update-all", {})).status, 303);
      assert.equal((await getPost(glose.database.db, moved))!.url, `${base}/new-two`);
    });
  });
}
