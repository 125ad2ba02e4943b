// Mentions end to end over https: Glose at https://blog.test resolves @alice@peer.test through
// WebFinger, the Note carries the Mention, and alice, who does not follow, receives the Create,
// the Update and the Delete, of a followers-only post too; an unknown handle stays text.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

const ALICE = "https://peer.test/users/alice";
const MENTION_HTML =
  '<span class="h-card" translate="no"><a href="https://peer.test/@alice" class="u-url mention">@<span>alice</span></a></span>';

for (const backend of backends()) {
  describe(`mentions over https (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let glose: HttpsGlose;
    let peer: HttpsPeer;
    let admin: AdminClient;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      peer = await network.startPeer("peer.test");
      glose = await network.startGlose("blog.test", await ownerEnv(database.env));
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const received = async (type: string, noteId: string) => {
      const all = (await (await fetch(`${peer.origin}/control/received`)).json()) as any[];
      return all.filter((activity) => {
        const object = activity.json.object;
        return activity.type === type && (typeof object === "string" ? object : object?.id) === noteId;
      });
    };
    const first = (type: string, noteId: string) =>
      waitFor(`the ${type} of ${noteId}`, async () => (await received(type, noteId))[0]);

    it("resolves a handle through WebFinger and delivers the post to the account it names", async () => {
      const id = await admin.publish({
        url: "https://example.org/article",
        title: "Un article",
        comment: "Qu'en penses-tu @alice@peer.test ? Pas toi, @nobody@peer.test. #fédivers (signé @owner@blog.test)",
      });
      const noteId = `https://blog.test/p/${id}`;
      const create = await first("Create", noteId);
      assert.equal(create.signature, "draft-cavage");
      const note = create.json.object;
      // A French post: a narrow no-break space before the question mark.
      assert.ok(note.content.includes(`Qu’en penses-tu ${MENTION_HTML}\u202F? Pas toi, @nobody@peer.test.`), note.content);
      assert.doesNotMatch(note.content, /mailto:/);
      const tags = [note.tag].flat();
      assert.deepEqual(tags.filter((tag: any) => tag.type === "Mention"), [
        { type: "Mention", href: ALICE, name: "@alice@peer.test" },
        { type: "Mention", href: `https://blog.test/users/${OWNER}`, name: `@${OWNER}@blog.test` },
      ]);
      assert.ok(tags.some((tag: any) => tag.type === "Hashtag" && tag.name === "#fédivers" && tag.href === "https://blog.test/tags/f%C3%A9divers"));
      assert.ok([note.cc].flat().includes(ALICE));
    });

    it("sends a followers-only post to a mentioned account that does not follow, and its edit and deletion", async () => {
      const id = await admin.publish({ title: "Entre nous", comment: "@alice@peer.test, ceci reste entre nous.", visibility: "followers" });
      const noteId = `https://blog.test/p/${id}`;
      const create = await first("Create", noteId);
      assert.deepEqual([create.json.object.to].flat(), [`https://blog.test/users/${OWNER}/followers`]);
      assert.deepEqual([create.json.object.cc].flat(), [ALICE]);
      // alice's server may fetch the Note it was sent; a stranger may not.
      const fetched = await fetch(`${peer.origin}/control/fetch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: noteId }),
      });
      assert.equal(((await fetched.json()) as { status: number }).status, 200);
      assert.equal((await fetch(noteId, { headers: { Accept: "application/activity+json" } })).status, 404);

      await admin.publish({ title: "Entre nous", comment: "@alice@peer.test, ceci reste entre nous (corrigé).", visibility: "followers" }, `/admin/posts/${id}`);
      const update = await first("Update", noteId);
      assert.match(update.json.object.content, /corrigé/);

      const deleted = await admin.submit(`/admin/posts/${id}/delete`, {});
      assert.equal(deleted.status, 303);
      await deleted.body?.cancel();
      await first("Delete", noteId);
      // One delivery of each: alice is not a follower, so only her mention reaches her.
      assert.equal((await received("Create", noteId)).length, 1);
    });

    it("still sends the edit to an account the edit stops mentioning", async () => {
      const id = await admin.publish({ title: "Oubli", comment: "Vu avec @alice@peer.test" });
      const noteId = `https://blog.test/p/${id}`;
      await first("Create", noteId);
      await admin.publish({ title: "Oubli", comment: "Vu seul, finalement." }, `/admin/posts/${id}`);
      const update = await first("Update", noteId);
      assert.equal([update.json.object.tag ?? []].flat().filter((tag: any) => tag.type === "Mention").length, 0);
      assert.ok(![update.json.object.cc].flat().includes(ALICE));
    });

    it("does not take a handle's server at its word about an actor elsewhere", async () => {
      // https://evil.test answers WebFinger for mallory with alice's actor on peer.test.
      await network.serve("evil.test", (request, response) => {
        const subject = new URL(request.url ?? "/", "https://evil.test").searchParams.get("resource");
        response.writeHead(200, { "Content-Type": "application/jrd+json" });
        response.end(JSON.stringify({ subject, links: [{ rel: "self", type: "application/activity+json", href: ALICE }] }));
      });
      const id = await admin.publish({ title: "Usurpation", comment: "Bonjour @mallory@evil.test" });
      const note = (await (await fetch(`https://blog.test/p/${id}`, { headers: { Accept: "application/activity+json" } })).json()) as any;
      assert.equal([note.tag ?? []].flat().filter((tag: any) => tag.type === "Mention").length, 0);
      assert.match(note.content, /Bonjour @mallory@evil\.test/);
      assert.deepEqual([note.cc].flat(), [`https://blog.test/users/${OWNER}/followers`]);
    });

    it("saves the post when a handle's server does not answer, the handle left as text", async () => {
      await network.serve("slow.test", () => {
        // Never answers: the lookup must give up on its own.
      });
      const started = Date.now();
      const id = await admin.publish({ title: "Patience", comment: "Bonjour @sloth@slow.test" });
      assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
      const note = (await (await fetch(`https://blog.test/p/${id}`, { headers: { Accept: "application/activity+json" } })).json()) as any;
      assert.match(note.content, /Bonjour @sloth@slow\.test/);
      assert.equal([note.tag ?? []].flat().length, 0);
    });

    it("delivers once to a mentioned follower", async () => {
      const follow = await fetch(`${peer.origin}/control/follow`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ target: `@${OWNER}@blog.test` }),
      });
      assert.equal(follow.status, 200);
      await waitFor("alice following", async () => {
        const followers = await fetch(`https://blog.test/users/${OWNER}/followers`, { headers: { Accept: "application/activity+json" } });
        return ((await followers.json()) as { totalItems: number }).totalItems === 1 ? true : undefined;
      });
      const id = await admin.publish({ title: "Pour toi", comment: "@alice@peer.test, tu me suis." });
      const noteId = `https://blog.test/p/${id}`;
      await first("Create", noteId);
      // A later post's Create proves the queue went past this one.
      await first("Create", `https://blog.test/p/${await admin.publish({ title: "Ensuite", comment: "Rien." })}`);
      assert.equal((await received("Create", noteId)).length, 1);
    });
  });
}
