// The read cache: each cached document and page has a strong ETag and its Cache-Control, a
// matching If-None-Match answers 304 without rendering, and every kind of change shows at once.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { recordReaction, recordReply, rememberActor, type RemoteActor } from "../../src/services/conversations.ts";
import { upsertFollower } from "../../src/data/followers.ts";
import { updateProfile } from "../../src/services/profile.ts";
import { createPost, deletePost, editPost, type PostFederation } from "../../src/services/publishing.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const HTML = "text/html";
const ACTOR: RemoteActor = {
  id: "https://peer.example/users/alice",
  handle: "@alice@peer.example",
  name: "Alice",
  url: null,
  iconUrl: null,
  inboxUrl: "https://peer.example/users/alice/inbox",
  sharedInboxUrl: null,
  emojis: [],
  fields: [],
};

for (const backend of backends()) {
  describe(`read cache (${backend})`, () => {
    let glose: TestGlose;
    let postId: string;
    const publishing = () => ({ db: glose.database.db, federation: unsent });

    before(async () => {
      glose = await startTestGlose(backend);
      const first = await createPost(publishing(), { url: "https://example.org/a", title: "Premier lien", tags: "cache", pinned: true });
      assert.ok(first.ok);
      postId = first.post.id;
    });
    after(() => glose.destroy());

    const get = (path: string, accept: string, headers: Record<string, string> = {}) =>
      fetch(new URL(path, glose.origin), { headers: { Accept: accept, ...headers } });
    const text = async (path: string, accept: string) => {
      const response = await get(path, accept);
      assert.equal(response.status, 200, path);
      return await response.text();
    };
    /** Waits until `path` shows `expected`: another process's change arrives by notification. */
    const shows = (path: string, accept: string, expected: RegExp) =>
      waitFor(`${path} to show ${expected}`, async () => (expected.test(await text(path, accept)) ? true : undefined), 5_000);

    const documents = () =>
      [
        ["the actor", `/users/${OWNER}`, ACTIVITY_JSON, "public, max-age=300"],
        ["WebFinger", `/.well-known/webfinger?resource=${encodeURIComponent(`${glose.origin}/users/${OWNER}`)}`, "application/jrd+json", "public, max-age=300"],
        ["NodeInfo", "/nodeinfo/2.1", "application/json", "public, max-age=1800"],
        ["the outbox", `/users/${OWNER}/outbox`, ACTIVITY_JSON, "public, max-age=60"],
        ["an outbox page", `/users/${OWNER}/outbox?cursor=`, ACTIVITY_JSON, "public, max-age=60"],
        ["featured", `/users/${OWNER}/featured`, ACTIVITY_JSON, "public, max-age=60"],
        ["followers", `/users/${OWNER}/followers`, ACTIVITY_JSON, "public, max-age=60"],
        ["a Note", `/p/${postId}`, ACTIVITY_JSON, "public, max-age=60"],
        ["the home page", "/", HTML, "public, no-cache"],
        ["a permalink", `/p/${postId}`, HTML, "public, no-cache"],
        ["the tags page", "/tags", HTML, "public, no-cache"],
        ["a tag page", "/tags/cache", HTML, "public, no-cache"],
        ["the Atom feed", "/feed.atom", "application/atom+xml", "public, max-age=300"],
        ["a tag's RSS feed", "/tags/cache/feed.rss", "application/rss+xml", "public, max-age=300"],
      ] as const;

    it("answers each document and page with a strong ETag, then 304 without rendering it again", async () => {
      const cache = glose.readCache!;
      for (const [name, path, accept, cacheControl] of documents()) {
        // A first render may write (tag actors are assigned when first asked for), which makes
        // a new version: asked again until an answer comes from the cache.
        await waitFor(`${name} to be cached`, async () => {
          const rendered = cache.counts.rendered;
          await (await get(path, accept)).text();
          return cache.counts.rendered === rendered ? true : undefined;
        }, 5_000);
        const first = await get(path, accept);
        assert.equal(first.status, 200, name);
        const body = await first.text();
        const etag = first.headers.get("etag");
        // fetch accepts brotli: the ETag is the brotli encoding's.
        assert.match(etag ?? "", /^"[\w-]{27}(-br|-gzip)?"$/, name);
        assert.equal(first.headers.get("cache-control"), cacheControl, name);
        const rendered = cache.counts.rendered;
        const again = await get(path, accept, { "If-None-Match": etag! });
        assert.equal(again.status, 304, name);
        assert.equal(await again.text(), "", name);
        assert.equal(again.headers.get("etag"), etag, name);
        const plain = await get(path, accept);
        assert.equal(await plain.text(), body, name);
        assert.equal(cache.counts.rendered, rendered, `${name} was rendered again`);
        const stale = await get(path, accept, { "If-None-Match": '"something-else"' });
        assert.equal(stale.status, 200, name);
      }
    });

    it("keeps answers to signed or cookie-bearing requests out of shared caches", async () => {
      for (const [name, path, accept] of documents()) {
        const response = await get(path, accept, { Cookie: "glose_session=nothing" });
        assert.equal(response.status, 200, name);
        assert.equal(response.headers.get("cache-control"), "private, no-cache", name);
      }
    });

    it("shows a new post, an edit and a deletion in every list and count", async () => {
      const lists = [`/users/${OWNER}/outbox?cursor=`, "/", "/tags/cache", "/feed.atom"] as const;
      const accepts = [ACTIVITY_JSON, HTML, HTML, "application/atom+xml"] as const;
      for (const [i, path] of lists.entries()) assert.doesNotMatch(await text(path, accepts[i]!), /Nouveau lien/);
      const nodeinfo = JSON.parse(await text("/nodeinfo/2.1", "application/json"));
      const created = await createPost(publishing(), { url: "https://example.org/b", title: "Nouveau lien", tags: "cache" });
      assert.ok(created.ok);
      for (const [i, path] of lists.entries()) await shows(path, accepts[i]!, /Nouveau lien/);
      await shows("/nodeinfo/2.1", "application/json", new RegExp(`"localPosts":${nodeinfo.usage.localPosts + 1}\\b`));

      assert.doesNotMatch(await text(`/p/${created.post.id}`, ACTIVITY_JSON), /Lien corrigé/);
      assert.doesNotMatch(await text(`/p/${created.post.id}`, HTML), /Lien corrigé/);
      assert.ok((await editPost(publishing(), created.post.id, { url: "https://example.org/b", title: "Lien corrigé", tags: "cache" })).ok);
      await shows(`/p/${created.post.id}`, ACTIVITY_JSON, /Lien corrigé/);
      await shows(`/p/${created.post.id}`, HTML, /Lien corrigé/);

      assert.ok((await deletePost(publishing(), created.post.id)).ok);
      for (const [i, path] of lists.entries()) {
        await waitFor(`${path} to forget the post`, async () => (/Lien corrigé/.test(await text(path, accepts[i]!)) ? undefined : true), 5_000);
      }
      await waitFor("the Note to be gone", async () => ((await get(`/p/${created.post.id}`, ACTIVITY_JSON)).status === 410 ? true : undefined), 5_000);
    });

    it("shows a profile change on the actor, WebFinger's neighbours and the pages", async () => {
      assert.doesNotMatch(await text(`/users/${OWNER}`, ACTIVITY_JSON), /Carnet de liens/);
      assert.doesNotMatch(await text("/", HTML), /Carnet de liens/);
      const result = await updateProfile(
        { db: glose.database.db, origin: glose.origin, profileChanged: async () => {} },
        { displayName: "Carnet de liens", summary: "", fields: [], defaultVisibility: "public", language: "fr", locked: false },
      );
      assert.ok(result.ok);
      await shows(`/users/${OWNER}`, ACTIVITY_JSON, /Carnet de liens/);
      await shows("/", HTML, /Carnet de liens/);
      await shows("/nodeinfo/2.1", "application/json", /Carnet de liens/);
    });

    it("shows a reply that arrives and a like count that changes", async () => {
      const note = `/p/${postId}`;
      const before = JSON.parse(await text(note, ACTIVITY_JSON));
      assert.doesNotMatch(await text(note, HTML), /Une réponse/);
      await rememberActor(glose.database.db, ACTOR);
      // Cached again after the actor's arrival, so that only the reply can make them change.
      await shows(note, ACTIVITY_JSON, new RegExp(`"totalItems":${before.replies.totalItems}\\b`));
      await text(note, HTML);
      await recordReply(glose.database.db, ACTOR, {
        id: "https://peer.example/notes/1",
        postId,
        inReplyTo: `${glose.origin}${note}`,
        url: null,
        contentHtml: "<p>Une réponse</p>",
        summary: null,
        sensitive: false,
        language: "fr",
        public: true,
        publishedAt: new Date(),
        emojis: [],
        attachments: [],
      });
      await shows(note, HTML, /Une réponse/);
      await shows(note, ACTIVITY_JSON, new RegExp(`"totalItems":${before.replies.totalItems + 1}\\b`));
      await recordReaction(glose.database.db, ACTOR, { activityId: "https://peer.example/likes/1", kind: "like", postId });
      await waitFor("the like to be counted", async () => {
        const current = JSON.parse(await text(note, ACTIVITY_JSON));
        return current.likes.totalItems === before.likes.totalItems + 1 ? true : undefined;
      }, 5_000);
    });

    it("shows a new follower in the followers collection", async () => {
      const followers = `/users/${OWNER}/followers`;
      const count = JSON.parse(await text(followers, ACTIVITY_JSON)).totalItems as number;
      await upsertFollower(glose.database.db, { actor_id: ACTOR.id, follow_id: "https://peer.example/follows/1", handle: ACTOR.handle, inbox_url: ACTOR.inboxUrl!, shared_inbox_url: null, status: "accepted" });
      await shows(followers, ACTIVITY_JSON, new RegExp(`"totalItems":${count + 1}\\b`));
    });

    it("never keeps the owner's pages, nor shows them to anyone else", async () => {
      const secret = await createPost(publishing(), { url: "https://example.org/secret", title: "Carnet secret", visibility: "private" });
      assert.ok(secret.ok);
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const ownerHome = await admin.request("/", { headers: { Accept: HTML } });
      assert.match(await ownerHome.text(), /Carnet secret/);
      assert.equal(ownerHome.headers.get("cache-control"), "private, no-cache");
      const rendered = glose.readCache!.counts.rendered;
      assert.match(await (await admin.request("/", { headers: { Accept: HTML } })).text(), /Carnet secret/);
      assert.equal(glose.readCache!.counts.rendered, rendered + 1, "the owner's page is rendered each time");
      assert.doesNotMatch(await text("/", HTML), /Carnet secret/);
      const followersOnly = await createPost(publishing(), { url: "https://example.org/followers", title: "Pour les abonnes", visibility: "followers" });
      assert.ok(followersOnly.ok);
      const outbox = `/users/${OWNER}/outbox?cursor=`;
      const ownerOutbox = await admin.request(outbox, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(ownerOutbox.headers.get("cache-control"), "private, no-cache");
      assert.match(await ownerOutbox.text(), /Pour les abonnes/);
      assert.doesNotMatch(await text(outbox, ACTIVITY_JSON), /Pour les abonnes/);
    });
  });
}
