// The inbox's identity rules, each against a real signed delivery: nobody may undo, edit or
// delete what another account did, a move needs the new account to claim the old one, and a
// Block counts only when it is aimed at the owner. Each test fails if its rule is removed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { startGloseWithPeer, type GloseWithPeer } from "../helpers/glose-with-peer.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";

for (const backend of backends()) {
  describe(`inbox identity rules (${backend})`, () => {
    let setup: GloseWithPeer;
    let peer: GloseWithPeer["peer"];
    let admin: AdminClient;
    let origin: string;
    let owner: string;
    let postUrl: string;
    let alice: ReturnType<typeof mastodonPeer>;
    let bob: ReturnType<typeof mastodonPeer>;
    before(async () => {
      setup = await startGloseWithPeer(backend);
      ({ peer, admin, origin, owner } = setup);
      postUrl = `${origin}/p/${await admin.publish({ url: "https://example.org/a", title: "Un lien", comment: "Avis." })}`;
      alice = mastodonPeer(peer.origin, "alice");
      bob = mastodonPeer(peer.origin, "bob");
    });
    after(() => setup?.stop());

    const control = (action: string, body: unknown) => peerControl(peer.origin).control(action, body);
    const send = (activity: unknown, as = "alice") => peerControl(peer.origin).send(`${origin}/inbox`, activity, as);
    const page = async () => await (await fetch(postUrl)).text();
    const likes = async () =>
      ((await (await fetch(`${postUrl}/likes`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number }).totalItems;
    const reply = (from: ReturnType<typeof mastodonPeer>, html: string) =>
      from.reply({ inReplyTo: postUrl, owner, ownerHandle: `@${OWNER}@${new URL(origin).host}`, ownerUrl: `${origin}/`, html });
    /** Sends `marker` as a reply from alice and waits for it: everything sent before has been handled. */
    const settle = async (marker: string) => {
      await send(reply(alice, marker));
      await waitFor(marker, async () => ((await page()).includes(marker) ? true : undefined));
    };
    const followers = async () => await (await admin.request("/admin/followers")).text();

    it("keeps a like that another account tries to undo", async () => {
      const like = alice.like(postUrl);
      await send(like);
      await waitFor("the like", async () => ((await likes()) === 1 ? true : undefined));
      const forged = { ...bob.undo(like), id: `${bob.actor}#undo-${Date.now()}`, actor: bob.actor };
      await send(forged, "bob");
      await settle("Marqueur après l'annulation de bob");
      assert.equal(await likes(), 1);
      await send(alice.undo(like));
      await waitFor("alice's own undo", async () => ((await likes()) === 0 ? true : undefined));
    });

    it("keeps a reply that another account tries to edit or delete", async () => {
      const original = reply(alice, "Réponse d'alice");
      await send(original);
      await waitFor("the reply", async () => ((await page()).includes("Réponse d'alice") ? true : undefined));
      await send(bob.update(original, "Réécrite par bob"), "bob");
      const claimed = bob.update(original, "Réécrite par bob, qui s'en dit l'auteur");
      claimed.object.attributedTo = bob.actor;
      await send(claimed, "bob");
      await send(bob.deleteNote(original), "bob");
      await settle("Marqueur après les tentatives de bob");
      const html = await page();
      assert.match(html, /Réponse d'alice/);
      assert.doesNotMatch(html, /Réécrite par bob/);
    });

    it("keeps a follower whose follow another account tries to undo", async () => {
      await control("follow", { target: owner, as: "bob" });
      await waitFor("bob following", async () => ((await followers()).includes("@bob@") ? true : undefined));
      // alice sends an Undo of bob's Follow under her own name.
      const bobsFollow = { type: "Follow", id: `${bob.actor}#follows/1`, actor: bob.actor, object: owner };
      await send({ "@context": "https://www.w3.org/ns/activitystreams", id: `${alice.actor}#undo-follow`, type: "Undo", actor: alice.actor, object: bobsFollow });
      await settle("Marqueur après l'annulation du suivi de bob par alice");
      assert.match(await followers(), /@bob@/);
    });

    it("refuses a move to an account that does not claim the old one", async () => {
      // alice's account names no alias: bob cannot hand his follow over to it.
      await send(bob.move(bob.actor, alice.actor), "bob");
      await settle("Marqueur après le déménagement refusé");
      const html = await followers();
      assert.match(html, /@bob@/);
      assert.doesNotMatch(html, /@alice@/);
    });

    it("records a Block only when it is aimed at the owner", async () => {
      const notifications = async () => await (await admin.request("/admin/notifications")).text();
      await send(alice.block(postUrl));
      await settle("Marqueur après un blocage mal adressé");
      assert.doesNotMatch(await notifications(), /blocked you/);
      await send(alice.block(owner));
      await waitFor("the block", async () => ((await notifications()).includes("blocked you") ? true : undefined));
    });
  });
}
