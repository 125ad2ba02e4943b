// The owner sees where each post went: a real Glose process delivering over https to servers that
// take it (202), fail once (500, then 202), are gone (410) or keep failing (500), with a retry for
// the failed; and the dashboard shows the queue, the failures and the servers held back.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabase } from "../helpers/database.ts";
import { OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

// Five servers or more: Fedify fans the deliveries out from one queued job, as for most posts.
const HOSTS = ["ok.test", "also.test", "more.test", "flaky.test", "gone.test", "down.test"] as const;
type Host = (typeof HOSTS)[number];

const follower = (host: string) => ({
  actor_id: `https://${host}/users/ann`,
  follow_id: `https://${host}/follows/ann`,
  inbox_url: `https://${host}/users/ann/inbox`,
  shared_inbox_url: `https://${host}/inbox`,
  handle: `@ann@${host}`,
});

interface Row {
  readonly status: string;
  readonly host: string;
  readonly inbox: string;
  readonly attempts: number;
  readonly error: string;
}

/** The rows of a deliveries page. */
function rows(page: string): Row[] {
  const pattern = /<tr data-status="(\w+)">\s*<td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td><td class="attempts">(\d+)<\/td>\s*<td>([^<]*)<\/td>/g;
  return [...page.matchAll(pattern)].map(([, status = "", host = "", inbox = "", attempts = "0", error = ""]) => ({
    status,
    host,
    inbox,
    attempts: Number(attempts),
    error,
  }));
}

for (const backend of backends()) {
  describe(`delivery status in the admin (${backend})`, { timeout: 90_000 }, () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let network: Network;
    let glose: HttpsGlose;
    let admin: AdminClient;
    let postId: string;
    const received: Record<Host, string[]> = { "ok.test": [], "also.test": [], "more.test": [], "flaky.test": [], "gone.test": [], "down.test": [] };
    let downRecovered = false;

    before(async () => {
      database = await createTestDatabase(backend);
      await database.db.insertInto("followers").values(HOSTS.map(follower)).execute();
      // A server Fedify's circuit breaker holds back, and a delivery waiting for tomorrow.
      const opened = new Date(Date.now() - 60_000).toISOString();
      await database.db
        .insertInto("fedify_kv")
        .values({
          key: ["_fedify", "circuit", "dead.test"],
          value: JSON.stringify({ state: "open", failures: [opened], opened, __fedifyCircuitBreakerStateVersion: 1 }),
          expires_at: null,
        })
        .execute();
      await sql`insert into fedify_queue (message, run_at) values ('{}'::jsonb, now() + interval '1 day')`.execute(database.db);
      await database.close();
      network = await startNetwork();
      for (const host of HOSTS) {
        await network.serve(host, async (request, response) => {
          let body = "";
          for await (const chunk of request) body += chunk;
          const type = (JSON.parse(body) as { type?: string }).type ?? "";
          received[host].push(type);
          const status =
            host === "gone.test" ? 410
            : host === "down.test" ? (downRecovered ? 202 : 500)
            // Fedify knocks twice (a second signature scheme) on an error: the whole first attempt fails.
            : host === "flaky.test" && received[host].length <= 2 ? 500
            : 202;
          response.writeHead(status).end(status === 500 ? "Something <b>broke</b>" : "");
        });
      }
      // One retry: a server that keeps failing is given up on within seconds.
      glose = await network.startGlose("blog.test", { ...(await ownerEnv(database.env)), DELIVERY_RETRIES: "1" });
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      postId = await admin.publish({ url: "https://example.org/", title: "Un lien", comment: "Pour mes abonnés." });
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const page = async () => {
      const response = await admin.request(`/admin/posts/${postId}/deliveries`);
      assert.equal(response.status, 200);
      return await response.text();
    };
    const rowOf = (all: Row[], host: string) => all.find((row) => row.host === host);

    it("shows each server's delivery: sent, sent after a retry, gone, failed with its error", async () => {
      const all = await waitFor("every delivery to settle", async () => {
        const current = rows(await page());
        return current.length === HOSTS.length && current.every((row) => row.status !== "pending") ? current : undefined;
      });
      assert.deepEqual(rowOf(all, "ok.test"), { status: "sent", host: "ok.test", inbox: "https://ok.test/inbox", attempts: 1, error: "" });
      assert.equal(rowOf(all, "also.test")?.status, "sent");
      assert.deepEqual(rowOf(all, "flaky.test"), { status: "sent", host: "flaky.test", inbox: "https://flaky.test/inbox", attempts: 2, error: "" });
      assert.equal(rowOf(all, "gone.test")?.status, "gone");
      assert.match(rowOf(all, "gone.test")?.error ?? "", /^HTTP 410/);
      assert.equal(rowOf(all, "down.test")?.status, "failed");
      assert.equal(rowOf(all, "down.test")?.attempts, 2);
      // The server's answer is shown as text, never as markup.
      assert.equal(rowOf(all, "down.test")?.error, "HTTP 500 Something &lt;b&gt;broke&lt;/b&gt;");
      assert.deepEqual(received["down.test"], ["Create", "Create", "Create", "Create"]);
      const text = await page();
      assert.match(text, /<strong>4<\/strong> sent, <strong>0<\/strong> pending, <strong>1<\/strong> failed, <strong>1<\/strong> gone/);
    });

    it("shows the queue's depth, the day's failures and the servers held back on the dashboard", async () => {
      const dashboard = await (await admin.request("/admin")).text();
      assert.match(dashboard, /<strong class="queue-ready">0<\/strong> ready, <strong class="queue-delayed">1<\/strong> waiting/);
      assert.match(dashboard, /Failed in the last 24 hours: <strong class="failed-last-day">1<\/strong>/);
      assert.match(dashboard, /<li><strong>dead\.test<\/strong> unreachable since/);
      assert.match(dashboard, new RegExp(`href="/admin/posts/${postId}/deliveries"`));
    });

    it("sends the post again to a failed server on retry", async () => {
      downRecovered = true;
      const response = await admin.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://down.test/inbox" });
      assert.equal(response.status, 303);
      await waitFor("the retried delivery", async () => {
        const row = rowOf(rows(await page()), "down.test");
        return row?.status === "sent" ? true : undefined;
      });
      // The server never took the Create: it gets the Create again.
      assert.deepEqual(received["down.test"], ["Create", "Create", "Create", "Create", "Create"]);
      assert.equal(rowOf(rows(await page()), "down.test")?.attempts, 1);
    });

    it("sends an Update on retry to a server that has the Note but missed its edit", async () => {
      downRecovered = false;
      const edited = await admin.submit(`/admin/posts/${postId}`, {
        action: "save",
        url: "https://example.org/",
        title: "Un lien, revu",
        comment: "Pour mes abonnés.",
        visibility: "public",
        language: "fr",
      });
      assert.equal(edited.status, 303, glose.output());
      const failed = await waitFor("the edit to fail on down.test", async () => {
        const row = rowOf(rows(await page()), "down.test");
        return row?.status === "failed" ? row : undefined;
      });
      assert.equal(failed.attempts, 2);
      downRecovered = true;
      const retried = await admin.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://down.test/inbox" });
      assert.equal(retried.status, 303);
      await waitFor("the retried edit", async () => (rowOf(rows(await page()), "down.test")?.status === "sent" ? true : undefined));
      assert.equal(received["down.test"].at(-1), "Update");
      assert.equal(received["down.test"].filter((type) => type === "Create").length, 5);
    });

    it("refuses a retry to a server that has the post, to an inbox it never went to or nobody follows from, of a post that does not exist", async () => {
      const sent = await admin.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://ok.test/inbox" });
      assert.equal(sent.status, 409);
      assert.match(await sent.text(), /That server has the post/);
      const unknown = await admin.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://elsewhere.test/inbox" });
      assert.equal(unknown.status, 400);
      await unknown.body?.cancel();
      // gone.test's followers were removed when it answered 410.
      const gone = await admin.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://gone.test/inbox" });
      assert.equal(gone.status, 409);
      assert.match(await gone.text(), /Nobody behind that inbox follows you any more/);
      const missing = await admin.submit(`/admin/posts/nosuchpost/deliveries/retry`, { inbox: "https://ok.test/inbox" });
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      assert.deepEqual(received["ok.test"], ["Create", "Update"], "nothing more than the post and its edit");

      // Made private, the post is withdrawn from other servers: a retry would show it again.
      const hidden = await admin.submit(`/admin/posts/${postId}`, {
        action: "save",
        url: "https://example.org/",
        title: "Un lien, revu",
        comment: "Pour mes abonnés.",
        visibility: "private",
        language: "fr",
      });
      assert.equal(hidden.status, 303);
      const withdrawn = await admin.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://gone.test/inbox" });
      assert.equal(withdrawn.status, 409);
      assert.match(await withdrawn.text(), /This post is not sent to other servers any more/);
    });

    it("is the owner's only", async () => {
      const anonymous = await fetch(`${glose.origin}/admin/posts/${postId}/deliveries`);
      assert.equal(anonymous.status, 401);
      assert.doesNotMatch(await anonymous.text(), /ok\.test/);
      const stranger = new AdminClient(glose.origin);
      const retry = await stranger.submit(`/admin/posts/${postId}/deliveries/retry`, { inbox: "https://gone.test/inbox" });
      assert.equal(retry.status, 401);
      await retry.body?.cancel();
    });
  });
}
