// The accounts behind activities are kept for a day: used as stored within it, fetched again
// after it; an account whose first activities arrive together is fetched once, for its key and
// for itself; a rotated key still verifies, after one fetch. Glose runs in this process, so the
// test can age the stored copy.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { startPeer, waitFor } from "../helpers/processes.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";

for (const backend of backends()) {
  describe(`stored remote accounts (${backend})`, () => {
    let glose: TestGlose;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    before(async () => {
      [glose, peer] = await Promise.all([startTestGlose(backend), startPeer()]);
    });
    after(async () => {
      await glose.destroy();
      await peer.stop();
    });

    it("fetches an account again once its stored copy is a day old", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const postUrl = `${glose.origin}/p/${await admin.publish({ url: "https://example.org/cache", title: "Cache", comment: "Avis." })}`;
      const owner = `${glose.origin}/users/${OWNER}`;
      const mastodon = mastodonPeer(peer.origin);
      const send = async (text: string) => {
        const activity = mastodon.reply({ inReplyTo: postUrl, owner, ownerHandle: `@${OWNER}@${new URL(glose.origin).host}`, ownerUrl: `${glose.origin}/`, html: text });
        const response = await fetch(`${peer.origin}/control/send`, { method: "POST", body: JSON.stringify({ inbox: `${glose.origin}/inbox`, activity }) });
        assert.equal(((await response.json()) as { status: number }).status, 202);
        await waitFor(text, async () => ((await (await fetch(postUrl)).text()).includes(text) ? true : undefined));
      };
      const fetches = async () => ((await (await fetch(`${peer.origin}/control/fetches`)).json()) as Record<string, number>)["/users/alice"] ?? 0;

      await send("Un");
      const first = await fetches();
      await send("Deux");
      assert.equal(await fetches(), first, "used as stored within the day");
      await sql`update remote_actors set refreshed_at = now() - interval '25 hours'`.execute(glose.database.db);
      await send("Trois");
      assert.equal(await fetches(), first + 1, "fetched again after it");
      await send("Quatre");
      assert.equal(await fetches(), first + 1, "and stored afresh");
    });

    const fetchesOf = async (path: string) => ((await (await fetch(`${peer.origin}/control/fetches`)).json()) as Record<string, number>)[path] ?? 0;
    const sendAs = async (activity: unknown, keyId?: string) => {
      const response = await fetch(`${peer.origin}/control/send`, { method: "POST", body: JSON.stringify({ inbox: `${glose.origin}/inbox`, activity, as: "bob", keyId }) });
      return ((await response.json()) as { status: number }).status;
    };

    it("fetches an account once when its first activities arrive together", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const owner = `${glose.origin}/users/${OWNER}`;
      const bob = mastodonPeer(peer.origin, "bob");
      const posts = await Promise.all(Array.from({ length: 4 }, (_, i) => admin.publish({ url: `https://example.org/ensemble-${i}`, title: `Ensemble ${i}` })));
      const before = await fetchesOf("/users/bob");
      const activities = posts.flatMap((id, i) => [
        bob.like(`${glose.origin}/p/${id}`),
        bob.reply({ inReplyTo: `${glose.origin}/p/${id}`, owner, ownerHandle: `@${OWNER}@${new URL(glose.origin).host}`, ownerUrl: `${glose.origin}/`, html: `Ensemble ${i}` }),
      ]);
      const statuses = await Promise.all(activities.map((activity) => sendAs(activity)));
      assert.deepEqual(statuses, activities.map(() => 202));
      await waitFor("the likes and replies", async () => {
        const bobId = `${peer.origin}/users/bob`;
        const likes = await glose.database.db.selectFrom("reactions").select("activity_id").where("actor_id", "=", bobId).execute();
        const replies = await glose.database.db.selectFrom("replies").select("id").where("actor_id", "=", bobId).execute();
        return likes.length >= posts.length && replies.length >= posts.length ? true : undefined;
      });
      assert.equal(await fetchesOf("/users/bob"), before + 1, "one fetch for the key and the account, however many activities");
      assert.equal(await sendAs(bob.like(`${glose.origin}/p/${posts[0]}`)), 202);
      assert.equal(await fetchesOf("/users/bob"), before + 1, "and none for a known account");
    });

    it("verifies a rotated key after fetching it once", async () => {
      const actor = (await (await fetch(`${peer.origin}/users/bob`, { headers: { Accept: "application/activity+json" } })).json()) as { publicKey: { publicKeyPem: string } };
      const keyDocument = (pem: string) => ({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        id: `${peer.origin}/keys/rotating`,
        type: "CryptographicKey",
        owner: `${peer.origin}/users/bob`,
        publicKeyPem: pem,
      });
      const serve = (pem: string) =>
        fetch(`${peer.origin}/control/serve`, { method: "POST", body: JSON.stringify({ path: "/keys/rotating", document: keyDocument(pem) }) });
      const old = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
      await serve(old);
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const post = `${glose.origin}/p/${await admin.publish({ url: "https://example.org/rotation", title: "Rotation" })}`;
      const bob = mastodonPeer(peer.origin, "bob");
      const keyId = `${peer.origin}/keys/rotating`;
      assert.equal(await sendAs(bob.like(post), keyId), 401, "signed with a key that is not the one served");
      await serve(actor.publicKey.publicKeyPem);
      const before = await fetchesOf("/keys/rotating");
      assert.equal(await sendAs(bob.like(post), keyId), 202, "the new key is fetched and verifies");
      assert.equal(await fetchesOf("/keys/rotating"), before + 1, "fetched once");
      assert.equal(await sendAs(bob.like(post), keyId), 202);
      assert.equal(await fetchesOf("/keys/rotating"), before + 1, "then used as cached");
    });
  });
}
