// The link checks' scheduler on a real database, against servers on loopback: new posts are
// checked at the next round, each answer makes the right status, failures become dead after a
// week, one host never sees two requests at once, the guard refuses loopback, and the edits that
// mend dead and moved links go through publishing.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { countLinkStatuses, getLinkCheck, makeChecksDue, scheduleUncheckedLinks } from "../../src/data/link-checks.ts";
import { getPost } from "../../src/data/posts.ts";
import { addArchiveLink, checkPostLink, linkHealthDeps, runLinkChecks, updateMovedLink, type LinkHealthDeps } from "../../src/services/link-health.ts";
import { createImportedPosts, createPost, deletePost, type PostFederation, type PublishingDeps } from "../../src/services/publishing.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

const DAY = 24 * 3600 * 1000;

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const answer = (status: number, headers: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(status, headers);
  res.end();
};

/** A server that answers slowly and remembers how many requests each Host had at once. */
async function startSite() {
  const requests: string[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  let maxOverall = 0;
  const routes: Record<string, Route> = {
    "/missing": answer(404),
    "/gone": answer(410),
    "/broken": answer(503),
    "/permanent": answer(301, { location: "/new-home" }),
    "/temporary": answer(302, { location: "/" }),
  };
  const server: Server = createServer((req, res) => {
    const host = req.headers.host ?? "";
    requests.push(`${req.method} ${host}${req.url}`);
    inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
    maxInFlight.set(host, Math.max(maxInFlight.get(host) ?? 0, inFlight.get(host)!));
    maxOverall = Math.max(maxOverall, [...inFlight.values()].reduce((a, b) => a + b, 0));
    setTimeout(() => {
      inFlight.set(host, inFlight.get(host)! - 1);
      (routes[new URL(req.url ?? "/", "http://x").pathname] ?? answer(200))(req, res);
    }, 25);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    /** The same server under another host name. */
    otherBase: `http://localhost:${port}`,
    requests,
    maxInFlight,
    maxOverall: () => maxOverall,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

function recorder(): PostFederation & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    published: async (post) => void sent.push(`Create ${post.id}`),
    edited: async (post) => void sent.push(`Update ${post.id}`),
    withdrawn: async (post) => void sent.push(`Delete ${post.id}`),
  };
}

for (const backend of backends()) {
  describe(`link health (${backend})`, () => {
    let database: TestDatabase;
    let site: Awaited<ReturnType<typeof startSite>>;
    let publishing: PublishingDeps & { federation: ReturnType<typeof recorder> };
    let clock: Date;
    let checks: LinkHealthDeps;
    const post = async (url: string, publishedAt?: Date) => {
      const result = await createPost(publishing, { url, title: url, comment: "Worth reading.", ...(publishedAt ? { publishedAt } : {}) });
      assert.ok(result.ok);
      return result.post.id;
    };
    const status = async (id: string) => (await getLinkCheck(database.db, id))?.status;

    before(async () => {
      database = await createTestDatabase(backend);
      site = await startSite();
      publishing = { db: database.db, federation: recorder() };
      clock = new Date();
      checks = { ...linkHealthDeps(database.db, { allowPrivateAddress: true, userAgent: "Glose/test", archiveOnPublish: false }), now: () => clock };
    });
    after(async () => {
      site?.close();
      await database?.drop();
    });

    it("checks a new post's link at the next round, and again in about a week", async () => {
      const id = await post(`${site.base}/fresh`);
      assert.equal(await runLinkChecks(checks), 1);
      const check = (await getLinkCheck(database.db, id))!;
      assert.equal(check.status, "healthy");
      assert.equal(check.http_status, 200);
      assert.equal(check.last_alive_at?.getTime(), clock.getTime());
      const wait = check.next_check_at.getTime() - clock.getTime();
      assert.ok(wait >= 6 * DAY && wait <= 8 * DAY, `next check in ${wait / DAY} days`);
      assert.equal(await runLinkChecks(checks), 0, "nothing is due before then");
    });

    it("checks a new post first, however many imported links wait", async () => {
      const importLinks = async (from: number) => {
        const links = Array.from({ length: 20 }, (_, i) => ({
          url: `${site.base}/imported/${from + i}`,
          title: `Imported ${from + i}`,
          publishedAt: new Date(2020, 0, from + i + 1),
        }));
        assert.ok((await createImportedPosts(publishing, links)).every((result) => result.ok));
      };
      // The new post comes between two imports whose links have waited for an hour.
      await importLinks(0);
      const id = await post(`${site.base}/brand-new`);
      await importLinks(20);
      await scheduleUncheckedLinks(database.db, new Date(clock.getTime() - 3600_000));
      assert.equal(await runLinkChecks(checks, 1), 1);
      assert.equal(await status(id), "healthy");
      await runLinkChecks(checks, 100);
    });

    it("marks 404 and 410 dead, a permanent redirect moved, a temporary one healthy", async () => {
      const ids = {
        missing: await post(`${site.base}/missing`),
        gone: await post(`${site.base}/gone`),
        permanent: await post(`${site.base}/permanent`),
        temporary: await post(`${site.base}/temporary`),
      };
      await runLinkChecks(checks);
      assert.equal(await status(ids.missing), "dead");
      assert.equal(await status(ids.gone), "dead");
      assert.equal(await status(ids.temporary), "healthy");
      const moved = (await getLinkCheck(database.db, ids.permanent))!;
      assert.equal(moved.status, "moved");
      assert.equal(moved.final_url, `${site.base}/new-home`);
      assert.equal((await getLinkCheck(database.db, ids.temporary))!.final_url, null);
    });

    it("retries a failing link daily and calls it dead once it failed for a week", async () => {
      const id = await post(`${site.base}/broken`);
      await runLinkChecks(checks);
      let check = (await getLinkCheck(database.db, id))!;
      assert.equal(check.status, "failing");
      assert.equal(check.consecutive_failures, 1);
      assert.equal(check.next_check_at.getTime() - clock.getTime(), DAY);
      const start = clock;
      try {
        clock = new Date(start.getTime() + DAY);
        await runLinkChecks(checks);
        assert.equal(await status(id), "failing");
        clock = new Date(start.getTime() + 7 * DAY);
        await runLinkChecks(checks);
        check = (await getLinkCheck(database.db, id))!;
        assert.equal(check.status, "dead");
        assert.equal(check.consecutive_failures, 3);
      } finally {
        clock = start;
      }
    });

    it("never sends two requests at once to one host", async () => {
      for (let i = 0; i < 6; i++) {
        await post(`${site.base}/polite/${i}`);
        await post(`${site.otherBase}/polite/${i}`);
      }
      site.maxInFlight.clear();
      assert.equal(await runLinkChecks(checks), 12);
      assert.deepEqual([...site.maxInFlight.values()], [1, 1]);
      assert.equal(site.maxOverall(), 2, "different hosts are checked side by side");
    });

    it("refuses loopback links without a request when private addresses are not allowed", async () => {
      const id = await post(`${site.base}/private-guard`);
      const guarded = { ...linkHealthDeps(database.db, { allowPrivateAddress: false, userAgent: "Glose/test", archiveOnPublish: false }), now: () => clock };
      await runLinkChecks(guarded);
      const check = (await getLinkCheck(database.db, id))!;
      assert.equal(check.status, "refused");
      assert.equal(check.error, "private-address");
      assert.ok(!site.requests.some((request) => request.includes("/private-guard")));
    });

    it("adds an archive link to a dead link's post, sent as an Update", async () => {
      const id = await post(`${site.base}/missing?archive`);
      const healthy = await post(`${site.base}/still-here`);
      await runLinkChecks(checks);
      assert.deepEqual(await addArchiveLink({ db: database.db, publishing }, healthy), { ok: false, error: "not-dead" });
      assert.deepEqual(await addArchiveLink({ db: database.db, publishing }, id), { ok: true, changed: true });
      const edited = (await getPost(database.db, id))!;
      const stamp = edited.published_at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
      const archive = `https://web.archive.org/web/${stamp}/${site.base}/missing?archive`;
      assert.ok(edited.comment.includes(archive), edited.comment);
      assert.ok(edited.comment_html.includes(`href="${archive}"`), edited.comment_html);
      assert.ok(publishing.federation.sent.includes(`Update ${id}`));
      // A second time changes nothing.
      assert.deepEqual(await addArchiveLink({ db: database.db, publishing }, id), { ok: true, changed: false });
      assert.equal((await getPost(database.db, id))!.comment, edited.comment);
    });

    it("updates a moved link to where it leads, then checks the new one", async () => {
      const id = await post(`${site.base}/permanent?update`);
      await runLinkChecks(checks);
      assert.equal(await status(id), "moved");
      assert.deepEqual(await updateMovedLink({ db: database.db, publishing }, id), { ok: true, changed: true });
      assert.equal((await getPost(database.db, id))!.url, `${site.base}/new-home`);
      assert.ok(publishing.federation.sent.includes(`Update ${id}`));
      await runLinkChecks(checks);
      const check = (await getLinkCheck(database.db, id))!;
      assert.equal(check.url, `${site.base}/new-home`);
      assert.equal(check.status, "healthy");
    });

    it("neither checks nor counts deleted posts", async () => {
      const id = await post(`${site.base}/deleted`);
      await runLinkChecks(checks);
      const before = await countLinkStatuses(database.db);
      assert.ok((await deletePost(publishing, id)).ok);
      assert.equal((await countLinkStatuses(database.db)).healthy, before.healthy - 1);
      await makeChecksDue(database.db, clock);
      await runLinkChecks(checks, 100);
      assert.equal(await checkPostLink(checks, id), undefined);
      assert.equal(site.requests.filter((request) => request.includes("/deleted")).length, 1);
    });

    it("asks the archive to save new posts' links only when chosen", async () => {
      const saved: string[] = [];
      const archiving = { ...checks, archive: async (url: string) => void saved.push(url) };
      await post(`${site.base}/archive-me`);
      await post(`${site.base}/imported`, new Date(clock.getTime() - 30 * DAY));
      await runLinkChecks(archiving);
      assert.deepEqual(saved, [`${site.base}/archive-me`]);
    });
  });
}
