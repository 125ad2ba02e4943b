// Who sees a followers-only and a private post, on every path that shows a post: anyone, a
// server whose signature verifies but that no follower lives on, a follower's server (signed
// fetches by two real peer processes), and the owner with the admin session.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hasFollowerAt } from "../../src/data/followers.ts";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { startPeer, waitFor } from "../helpers/processes.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
// Each post's title is a word of its own, so that a page shows it or not; all share a tag, a
// search word and a day.
const TITLES = {
  everyone: "toutpublic",
  unlisted: "nonliste",
  followers: "abonnesseulement",
  pinnedFollowers: "epingleabonnes",
  private: "carnetprive",
} as const;
type Key = keyof typeof TITLES;
type Viewer = "anonymous" | "stranger" | "follower" | "owner";
const VIEWERS: readonly Viewer[] = ["anonymous", "stranger", "follower", "owner"];

for (const backend of backends()) {
  describe(`who sees which post (${backend})`, () => {
    let glose: TestGlose;
    let follower: Awaited<ReturnType<typeof startPeer>>;
    let stranger: Awaited<ReturnType<typeof startPeer>>;
    let admin: AdminClient;
    const ids = {} as Record<Key, string>;

    before(async () => {
      [glose, follower, stranger] = await Promise.all([startTestGlose(backend), startPeer(), startPeer()]);
      const deps = { db: glose.database.db, federation: unsent };
      const visibilities = { everyone: "public", unlisted: "unlisted", followers: "followers", pinnedFollowers: "followers", private: "private" } as const;
      for (const key of Object.keys(TITLES) as Key[]) {
        const result = await createPost(deps, {
          url: `https://example.org/${key}`,
          title: TITLES[key],
          comment: "zanzibar",
          tags: "commun",
          visibility: visibilities[key],
          pinned: key === "pinnedFollowers",
          publishedAt: new Date("2026-05-01T10:00:00Z"),
        });
        assert.ok(result.ok, key);
        ids[key] = result.post.id;
      }
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const follow = await fetch(`${follower.origin}/control/follow`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ target: `${glose.origin}/users/${OWNER}` }),
      });
      assert.equal(follow.status, 200, await follow.text());
      await waitFor("the follow to be accepted", async () => {
        const row = await glose.database.db.selectFrom("followers").select("status").executeTakeFirst();
        return row?.status === "accepted" ? true : undefined;
      });
    });
    after(async () => {
      await Promise.all([glose?.destroy(), follower?.stop(), stranger?.stop()]);
    });

    /** GET `path` as `viewer`: servers through their /control/fetch (signed, Accept: activity+json). */
    const get = async (viewer: Viewer, path: string, accept = ACTIVITY_JSON): Promise<{ status: number; body: string }> => {
      const url = new URL(path, glose.origin).href;
      if (viewer === "stranger" || viewer === "follower") {
        const peer = viewer === "stranger" ? stranger : follower;
        const response = await fetch(`${peer.origin}/control/fetch`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ url }),
        });
        assert.equal(response.status, 200);
        return (await response.json()) as { status: number; body: string };
      }
      const response = viewer === "owner" ? await admin.request(url, { headers: { Accept: accept } }) : await fetch(url, { headers: { Accept: accept } });
      return { status: response.status, body: await response.text() };
    };
    const shown = (body: string) => (Object.keys(TITLES) as Key[]).filter((key) => body.includes(TITLES[key]) || body.includes(`/p/${ids[key]}`));

    it("serves a post's Note, Create, replies, likes and shares to whoever may see it, 404 to anyone else", async () => {
      const expected: Record<Key, Viewer[]> = {
        everyone: [...VIEWERS],
        unlisted: [...VIEWERS],
        followers: ["follower", "owner"],
        pinnedFollowers: ["follower", "owner"],
        // Never federated, not even to the owner.
        private: [],
      };
      for (const key of ["everyone", "unlisted", "followers", "private"] as const) {
        for (const suffix of ["", "/create", "/replies", "/likes", "/shares"]) {
          for (const viewer of VIEWERS) {
            const { status, body } = await get(viewer, `/p/${ids[key]}${suffix}`);
            const allowed = expected[key].includes(viewer);
            assert.equal(status, allowed ? 200 : 404, `${key}${suffix} for ${viewer}`);
            if (allowed) assert.match(JSON.parse(body).id, new RegExp(`/p/${ids[key]}${suffix}$`));
            else assert.doesNotMatch(body, new RegExp(TITLES[key]));
          }
        }
      }
    });

    it("counts a server as followed only for an accepted follower of that very origin", async () => {
      const db = glose.database.db;
      const row = (actor_id: string, status: "accepted" | "pending") => ({
        actor_id,
        follow_id: `${actor_id}#follow`,
        inbox_url: `${actor_id}/inbox`,
        handle: actor_id,
        status,
        updated_at: new Date(),
      });
      await db.insertInto("followers").values([row("https://pending.example/users/a", "pending"), row("https://peer.example/users/b", "accepted")]).execute();
      assert.equal(await hasFollowerAt(db, "https://peer.example"), true);
      assert.equal(await hasFollowerAt(db, "https://pending.example"), false);
      assert.equal(await hasFollowerAt(db, "https://peer.ex"), false);
      assert.equal(await hasFollowerAt(db, "https://peer.example.evil"), false);
      await db.deleteFrom("followers").where("actor_id", "in", ["https://pending.example/users/a", "https://peer.example/users/b"]).execute();
    });

    it("takes a signature that does not verify, or a session that does not exist, for nobody", async () => {
      const keyId = `${follower.origin}/users/alice#main-key`;
      const response = await fetch(`${glose.origin}/p/${ids.followers}`, {
        headers: {
          Accept: ACTIVITY_JSON,
          Date: new Date().toUTCString(),
          Signature: `keyId="${keyId}",algorithm="rsa-sha256",headers="(request-target) host date",signature="${Buffer.alloc(256).toString("base64")}"`,
        },
      });
      assert.equal(response.status, 404);
      await response.body?.cancel();
      const cookie = await fetch(`${glose.origin}/p/${ids.followers}`, { headers: { Accept: ACTIVITY_JSON, Cookie: "glose_session=forged" } });
      assert.equal(cookie.status, 404);
      await cookie.body?.cancel();
    });

    it("answers a refused post exactly as one that does not exist", async () => {
      const refused = await fetch(`${glose.origin}/p/${ids.followers}`, { headers: { Accept: ACTIVITY_JSON } });
      const missing = await fetch(`${glose.origin}/p/nothere1`, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(refused.status, 404);
      assert.equal(await refused.text(), await missing.text());
      assert.equal(refused.headers.get("content-type"), missing.headers.get("content-type"));
    });

    it("shows the permalink page and its OpenGraph card to the owner only, unless public or unlisted", async () => {
      for (const key of ["everyone", "unlisted", "followers", "private"] as const) {
        for (const viewer of ["anonymous", "owner"] as const) {
          const page = await get(viewer, `/p/${ids[key]}`, "text/html");
          const allowed = viewer === "owner" || key === "everyone" || key === "unlisted";
          assert.equal(page.status, allowed ? 200 : 404, `${key} page for ${viewer}`);
          assert.equal(page.body.includes(`<meta property="og:title" content="${TITLES[key]}">`), allowed, `${key} card for ${viewer}`);
          if (!allowed) assert.doesNotMatch(page.body, new RegExp(TITLES[key]));
        }
      }
    });

    it("lists on the blog's pages public and unlisted posts to anyone, every post to the owner", async () => {
      const pages = ["/", "/tags/commun", "/daily?day=2026-05-01", "/search?q=zanzibar", "/tags"];
      for (const path of pages) {
        for (const viewer of VIEWERS) {
          const page = await get(viewer, path, "text/html");
          assert.equal(page.status, 200, `${path} for ${viewer}`);
          if (path === "/tags") continue;
          // Web pages tell the owner from anyone else; a signature changes nothing there.
          const expected: Key[] = viewer === "owner" ? ["everyone", "unlisted", "followers", "pinnedFollowers", "private"] : ["everyone", "unlisted"];
          assert.deepEqual(shown(page.body).sort(), expected.sort(), `${path} for ${viewer}`);
        }
      }
      // The tag cloud counts what the viewer may see.
      assert.match((await get("anonymous", "/tags", "text/html")).body, /#commun<\/a> <span class="hint">2 posts/);
      assert.match((await get("owner", "/tags", "text/html")).body, /#commun<\/a> <span class="hint">5 posts/);
    });

    it("puts only public posts in feeds, whoever asks", async () => {
      const feeds = ["/feed.atom", "/feed.rss", "/tags/commun/feed.atom", "/tags/commun/feed.rss", "/search/feed.atom?q=zanzibar", "/search/feed.rss?q=zanzibar"];
      for (const path of feeds) {
        for (const viewer of VIEWERS) {
          const feed = await get(viewer, path, "application/atom+xml");
          assert.equal(feed.status, 200, `${path} for ${viewer}`);
          assert.deepEqual(shown(feed.body), ["everyone"], `${path} for ${viewer}`);
        }
      }
    });

    it("lists followers-only posts in the outbox and featured to a follower's server and the owner, never private ones", async () => {
      const outbox = `/users/${OWNER}/outbox`;
      for (const viewer of VIEWERS) {
        const sees = viewer === "follower" || viewer === "owner";
        const expected: Key[] = sees ? ["everyone", "unlisted", "followers", "pinnedFollowers"] : ["everyone", "unlisted"];
        const page = await get(viewer, `${outbox}?cursor=`);
        assert.equal(page.status, 200);
        assert.deepEqual(shown(page.body).sort(), [...expected].sort(), `outbox page for ${viewer}`);
        const collection = JSON.parse((await get(viewer, outbox)).body) as { totalItems: number };
        assert.equal(collection.totalItems, sees ? 4 : 2, `outbox total for ${viewer}`);
        const featured = await get(viewer, `/users/${OWNER}/featured`);
        assert.equal(featured.status, 200);
        assert.equal(featured.body.includes(TITLES.pinnedFollowers), sees, `featured for ${viewer}`);
      }
    });
  });
}
