// Conversations from a Mastodon-like peer process: replies, edits, deletions, likes, boosts,
// mentions, reports, moves, blocks and a locked account, with payloads shaped as Mastodon's.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { startGloseWithPeer, type GloseWithPeer } from "../helpers/glose-with-peer.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";
import { xssVectors } from "../fixtures/xss-vectors.ts";

for (const backend of backends()) {
  describe(`conversations (${backend})`, () => {
    let setup: GloseWithPeer;
    let peer: GloseWithPeer["peer"];
    let admin: AdminClient;
    let origin: string;
    let owner: string;
    let postUrl: string;
    let mastodon: ReturnType<typeof mastodonPeer>;
    before(async () => {
      // On a loopback address of its own, so that its server can be blocked as a domain.
      setup = await startGloseWithPeer(backend, { peerHost: "127.0.0.2", followed: true });
      ({ peer, admin, origin, owner } = setup);
      postUrl = `${origin}/p/${await admin.publish({ url: "https://example.org/a", title: "Un lien", comment: "Avis." })}`;
      mastodon = mastodonPeer(peer.origin);
    });
    after(() => setup?.stop());

    const control = (action: string, body: unknown) => peerControl(peer.origin).control(action, body);
    const send = (activity: unknown, inbox = `${origin}/inbox`, as = "alice") => peerControl(peer.origin).send(inbox, activity, as);
    const received = () => peerControl(peer.origin).received();
    const collection = async (name: string) => {
      const response = await fetch(`${postUrl}/${name}`, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(response.status, 200);
      return (await response.json()) as any;
    };
    const page = async () => await (await fetch(postUrl)).text();
    const reply = (html: string, audience: "public" | "unlisted" | "followers" | "direct" = "public", inReplyTo = postUrl) =>
      mastodon.reply({ inReplyTo, owner, ownerHandle: `@${OWNER}@${new URL(origin).host}`, ownerUrl: `${origin}/`, html, audience });
    const until = (what: string, check: () => Promise<boolean>) => waitFor(what, async () => ((await check()) ? true : undefined));

    it("shows a reply under the post and in its replies collection, once", async () => {
      const create = reply("Merci pour ce lien « précieux » !");
      await send(create);
      await send(create);
      await until("the reply", async () => (await page()).includes("Merci pour ce lien « précieux » !"));
      const replies = await collection("replies");
      assert.equal(replies.totalItems, 1);
      const items = replies.first?.items ?? replies.items ?? [];
      assert.deepEqual([items].flat().map((item: any) => item.id ?? item), [create.object.id]);
      const html = await page();
      assert.equal(html.split("Merci pour ce lien").length - 1, 1);
      assert.match(html, /Alice Peer/);
      assert.match(html, /@alice@127\.0\.0\.2/);
      // The Note itself carries the total, as Mastodon reads it.
      const note = (await (await fetch(postUrl, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(note.replies.totalItems, 1);
    });

    it("applies the author's Update and Delete, and a deleted reply stays deleted", async () => {
      const create = reply("Première version");
      await send(create);
      await until("the reply", async () => (await page()).includes("Première version"));
      await send(mastodon.update(create, "Version corrigée"));
      await until("the edit", async () => (await page()).includes("Version corrigée"));
      assert.doesNotMatch(await page(), /Première version/);
      await send(mastodon.deleteNote(create));
      await until("the deletion", async () => !(await page()).includes("Version corrigée"));
      await send(create);
      await send(reply("Marqueur après suppression"));
      await until("the marker", async () => (await page()).includes("Marqueur après suppression"));
      assert.doesNotMatch(await page(), /Première version|Version corrigée/);
    });

    it("threads a reply to a reply", async () => {
      const first = reply("Question dans le fil");
      await send(first);
      await send(reply("Réponse dans le fil", "public", first.object.id));
      await until("the nested reply", async () => (await page()).includes("Réponse dans le fil"));
      const html = await page();
      const nested = html.indexOf('class="replies nested"');
      assert.ok(nested > html.indexOf("Question dans le fil") && nested < html.indexOf("Réponse dans le fil"));
    });

    it("keeps followers-only and direct replies off the blog, for the owner only", async () => {
      await send(reply("Réservé aux abonnés", "followers"));
      await send(reply("Message direct", "direct"));
      const notifications = async () => await (await admin.request("/admin/notifications")).text();
      await until("both private replies", async () => {
        const html = await notifications();
        return html.includes("Réservé aux abonnés") && html.includes("Message direct");
      });
      const html = await page();
      assert.doesNotMatch(html, /Réservé aux abonnés|Message direct/);
    });

    it("renders hostile reply HTML inert", async () => {
      const vectors = xssVectors.slice(0, 40);
      const before = (await collection("replies")).totalItems;
      for (const [i, vector] of vectors.entries()) await send(reply(`vecteur-${i} ${vector}`));
      await until("every hostile reply", async () => (await collection("replies")).totalItems === before + vectors.length);
      const html = await page();
      // What the replies' authors wrote, without the page's own forms around it.
      const section = html
        .split('<div class="remote-content"')
        .slice(1)
        .map((part) => part.slice(0, part.indexOf("</div>")))
        .join("\n");
      for (let i = 0; i < vectors.length; i++) assert.ok(section.includes(`vecteur-${i}`), `reply ${i} shown`);
      // Tags and attributes, not text: a vector's words may remain as harmless, escaped text.
      assert.doesNotMatch(section, /<(script|iframe|object|embed|svg|style|img|form|base|meta|link|input|body|math)\b/i);
      assert.doesNotMatch(section, /<[^>]+\son[a-z]+\s*=/i);
      assert.doesNotMatch(section, /(href|src|action|background)\s*=\s*["']?\s*(javascript|vbscript|data):/i);
    });

    it("counts likes and boosts both ways, once per delivery", async () => {
      const like = mastodon.like(postUrl);
      const boost = mastodon.announce(postUrl, owner);
      await send(like, `${owner}/inbox`);
      await send(like, `${owner}/inbox`);
      await send(boost);
      await until("the like and the boost", async () => (await collection("likes")).totalItems === 1 && (await collection("shares")).totalItems === 1);
      // Counted, and listed: who liked, who boosted.
      assert.match(await page(), /<summary>1 like<\/summary><ul><li><a href="[^"]+\/@alice"[^>]*>Alice Peer<\/a>/);
      assert.match(await page(), /<summary>1 boost<\/summary><ul><li><a href="[^"]+\/@alice"[^>]*>Alice Peer<\/a>/);
      await send(mastodon.undo(like), `${owner}/inbox`);
      await send(mastodon.undo(boost));
      await until("the undos", async () => (await collection("likes")).totalItems === 0 && (await collection("shares")).totalItems === 0);
    });

    it("keeps a mention of the owner, a report and a block as notifications", async () => {
      const mention = reply("Tu as vu ça ?", "public", "https://elsewhere.example/statuses/1");
      await send(mention);
      await send(mastodon.flag(owner, [postUrl], "Ce lien est cassé"));
      const notifications = async () => await (await admin.request("/admin/notifications")).text();
      await until("the mention and the report", async () => {
        const html = await notifications();
        return html.includes("Tu as vu ça ?") && html.includes("Ce lien est cassé");
      });
    });

    it("follows a follower's move to a new account", async () => {
      await send(mastodon.move(`${peer.origin}/users/alice`, `${peer.origin}/users/bob`), `${owner}/inbox`);
      await until("the move", async () => {
        const html = await (await admin.request("/admin/followers")).text();
        return html.includes("@bob@") && !html.includes("@alice@");
      });
    });

    it("refuses everything from a blocked server and keeps no trace of it", async () => {
      const blocked = await admin.submit("/admin/blocks/domain", { domain: "127.0.0.2" });
      assert.equal(blocked.status, 303);
      await until("the Reject sent to the removed follower", async () => (await received()).some((a) => a.type === "Reject"));
      const before = await page();
      const notificationsBefore = (await (await admin.request("/admin/notifications")).text()).split('class="notification').length;
      await send(reply("Depuis un serveur bloqué"));
      await send(mastodon.like(postUrl), `${owner}/inbox`);
      await control("follow", { target: owner });
      // A marker through the queue after them: from another server, so not blocked.
      await admin.submit("/admin/blocks/remove", { kind: "domain", value: "127.0.0.2" });
      await send(reply("Après le déblocage"));
      await until("the marker", async () => (await page()).includes("Après le déblocage"));
      assert.doesNotMatch(await page(), /Depuis un serveur bloqué/);
      assert.equal((await collection("likes")).totalItems, 0);
      const followers = (await (await fetch(`${owner}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(followers.totalItems, 0);
      const notificationsAfter = (await (await admin.request("/admin/notifications")).text()).split('class="notification').length;
      assert.equal(notificationsAfter, notificationsBefore + 1, "only the marker reply notified");
      assert.ok(before.length > 0);
    });

    it("holds follows of a locked account for approval, then sends Accept or Reject", async () => {
      const settings = await admin.submit("/admin/settings", {
        display_name: "Owner",
        summary: "",
        default_visibility: "public",
        language: "fr",
        locked: "on",
      });
      assert.equal(settings.status, 303);
      const rejectsBefore = (await received()).filter((a) => a.type === "Reject").length;
      const acceptsBefore = (await received()).filter((a) => a.type === "Accept").length;
      await control("follow", { target: owner });
      await until("the request", async () => (await (await admin.request("/admin/followers")).text()).includes("/admin/followers/approve"));
      assert.equal((await received()).filter((a) => a.type === "Accept").length, acceptsBefore);
      await admin.submit("/admin/followers/reject", { actor: `${peer.origin}/users/alice` });
      await until("the Reject", async () => (await received()).filter((a) => a.type === "Reject").length === rejectsBefore + 1);

      await control("follow", { target: owner });
      await until("the second request", async () => (await (await admin.request("/admin/followers")).text()).includes("/admin/followers/approve"));
      await admin.submit("/admin/followers/approve", { actor: `${peer.origin}/users/alice` });
      const accept = await waitFor("the Accept", async () => {
        const accepts = (await received()).filter((a) => a.type === "Accept");
        return accepts.length === acceptsBefore + 1 ? accepts.at(-1) : undefined;
      });
      assert.equal(accept.signature, "draft-cavage");
      assert.equal(accept.json.object.actor, `${peer.origin}/users/alice`);
      const followers = (await (await fetch(`${owner}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(followers.totalItems, 1);
    });

    it("forgets an account deleted on its server: replies, reactions and follow", async () => {
      await send(mastodon.like(postUrl), `${owner}/inbox`);
      await until("the like", async () => (await collection("likes")).totalItems === 1);
      await control("gone", { name: "alice" });
      const alice = `${peer.origin}/users/alice`;
      await send({ "@context": "https://www.w3.org/ns/activitystreams", id: `${alice}#delete`, type: "Delete", actor: alice, object: alice, to: ["https://www.w3.org/ns/activitystreams#Public"] });
      await until("the account to be forgotten", async () => (await collection("replies")).totalItems === 0);
      assert.equal((await collection("likes")).totalItems, 0);
      const followers = (await (await fetch(`${owner}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(followers.totalItems, 0);
      assert.doesNotMatch(await page(), /Merci pour ce lien/);
    });
  });
}
