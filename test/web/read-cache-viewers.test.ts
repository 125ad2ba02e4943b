// The read cache and who asks: a follower's server's answers (followers-only posts) are kept for
// followed servers alone, never served to anyone else; and on PostgreSQL, a change made by
// another process reaches the answers a web process keeps.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openDatabase } from "../../src/data/client.ts";
import { createPost, editPost, type PostFederation } from "../../src/services/publishing.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { ownerEnv, startGloseProcess, startPeer, waitFor } from "../helpers/processes.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const SECRET = "abonnesseulement";

for (const backend of backends()) {
  describe(`read cache and viewers (${backend})`, () => {
    let glose: TestGlose;
    let follower: Awaited<ReturnType<typeof startPeer>>;
    let stranger: Awaited<ReturnType<typeof startPeer>>;
    let secretId: string;

    before(async () => {
      [glose, follower, stranger] = await Promise.all([startTestGlose(backend), startPeer(), startPeer()]);
      const deps = { db: glose.database.db, federation: unsent };
      assert.ok((await createPost(deps, { url: "https://example.org/public", title: "toutpublic" })).ok);
      const secret = await createPost(deps, { url: "https://example.org/secret", title: SECRET, visibility: "followers", pinned: true });
      assert.ok(secret.ok);
      secretId = secret.post.id;
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
    after(() => Promise.all([glose?.destroy(), follower?.stop(), stranger?.stop()]));

    const signedGet = async (peer: typeof follower, path: string) => {
      const response = await fetch(`${peer.origin}/control/fetch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: new URL(path, glose.origin).href }),
      });
      assert.equal(response.status, 200);
      return (await response.json()) as { status: number; body: string };
    };

    it("never serves what a follower's server fetched to anyone else", async () => {
      const paths = [`/p/${secretId}`, `/users/${OWNER}/outbox?cursor=`, `/users/${OWNER}/featured`];
      const servedBefore = glose.readCache!.counts.served;
      for (const path of paths) {
        for (let i = 0; i < 2; i++) {
          const answer = await signedGet(follower, path);
          assert.equal(answer.status, 200, path);
          assert.match(answer.body, new RegExp(SECRET), path);
        }
      }
      assert.ok(glose.readCache!.counts.served >= servedBefore + paths.length, "the follower's second fetches come from the cache");
      for (const path of paths) {
        const anonymous = await fetch(new URL(path, glose.origin), { headers: { Accept: ACTIVITY_JSON } });
        assert.doesNotMatch(await anonymous.text(), new RegExp(SECRET), `${path} for anyone`);
        const strange = await signedGet(stranger, path);
        assert.doesNotMatch(strange.body, new RegExp(SECRET), `${path} for another server`);
      }
    });

    it("answers a followers-only Note from the cache to the follower's server alone, and forgets it when the post changes", async () => {
      const note = `/p/${secretId}`;
      assert.equal((await signedGet(follower, note)).status, 200);
      const served = glose.readCache!.counts.served;
      const cached = await signedGet(follower, note);
      assert.equal(cached.status, 200);
      assert.match(cached.body, new RegExp(SECRET));
      assert.equal(glose.readCache!.counts.served, served + 1, "the follower's second fetch comes from the cache");
      // Asked in turn, the stranger and anyone are refused, from the cache or not.
      for (let i = 0; i < 2; i++) {
        assert.equal((await signedGet(stranger, note)).status, 404, "another server");
        const anonymous = await fetch(new URL(note, glose.origin), { headers: { Accept: ACTIVITY_JSON } });
        assert.equal(anonymous.status, 404, "anyone");
        assert.doesNotMatch(await anonymous.text(), new RegExp(SECRET));
      }
      const edited = await editPost({ db: glose.database.db, federation: unsent }, secretId, { url: "https://example.org/secret", title: `${SECRET} corrige`, visibility: "followers", pinned: true });
      assert.ok(edited.ok);
      await waitFor("the follower to see the edit", async () => (/corrige/.test((await signedGet(follower, note)).body) ? true : undefined), 5_000);
    });

    it("stops answering the followers' copy to a server once it no longer follows", async () => {
      const note = `/p/${secretId}`;
      assert.equal((await signedGet(follower, note)).status, 200);
      const undo = await fetch(`${follower.origin}/control/undo-follow`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ target: `${glose.origin}/users/${OWNER}` }),
      });
      assert.equal(undo.status, 200, await undo.text());
      await waitFor("the follow to be undone", async () => ((await glose.database.db.selectFrom("followers").select("actor_id").executeTakeFirst()) === undefined ? true : undefined));
      await waitFor("the former follower to be refused", async () => ((await signedGet(follower, note)).status === 404 ? true : undefined), 5_000);
    });
  });
}

describe("read cache across processes (postgres)", { skip: !process.env.TEST_DATABASE_URL && "TEST_DATABASE_URL is not set" }, () => {
  it("serves the new bytes once another process changed the data", async () => {
    const database = await createTestDatabaseEnv("postgres");
    const env = await ownerEnv(database.env);
    const web = await startGloseProcess({ ...env, ROLE: "web" });
    const writer = await openDatabase({ url: database.env.DATABASE_URL!, dataDir: null });
    try {
      const outbox = `${web.origin}/users/${OWNER}/outbox?cursor=`;
      const read = async () => await (await fetch(outbox, { headers: { Accept: ACTIVITY_JSON } })).text();
      const first = await read();
      assert.equal(await read(), first);
      assert.ok((await createPost({ db: writer.db, federation: unsent }, { url: "https://example.org/other", title: "Ecrit ailleurs" })).ok);
      await waitFor("the web process to serve the new post", async () => (/Ecrit ailleurs/.test(await read()) ? true : undefined), 5_000);
    } finally {
      await writer.close();
      await web.stop();
      await database.drop();
    }
  });
});
