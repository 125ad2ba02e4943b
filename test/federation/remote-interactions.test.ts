// What other servers send beyond plain replies, from a peer process with real signatures, over
// https (Glose at https://blog.test behind its TLS proxy, the peer at https://peer.test):
// account updates and the stored-actor cache, custom emoji, emoji reactions (Misskey, Akkoma),
// quotes (Mastodon 4.5's QuoteRequest, Misskey's plain quotes), attachments, and the
// User-Agent of Glose's deliveries.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";
import { akkomaPeer, LITEPUB_CONTEXT, LITEPUB_CONTEXT_PATH } from "../fixtures/akkoma.ts";
import { gotosocialPeer } from "../fixtures/gotosocial.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";
import { misskeyPeer } from "../fixtures/misskey.ts";

for (const backend of backends()) {
  describe(`remote interactions (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let peer: HttpsPeer;
    let glose: HttpsGlose;
    let admin: AdminClient;
    let origin: string;
    let owner: string;
    let ownerHandle: string;
    let mastodon: ReturnType<typeof mastodonPeer>;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      peer = await network.startPeer("peer.test");
      glose = await network.startGlose("blog.test", await ownerEnv(database.env));
      origin = glose.origin;
      owner = `${origin}/users/${OWNER}`;
      ownerHandle = `@${OWNER}@${new URL(origin).host}`;
      admin = new AdminClient(origin);
      await admin.logIn(OWNER_PASSWORD);
      mastodon = mastodonPeer(peer.origin);
      await control("serve", { path: LITEPUB_CONTEXT_PATH, document: LITEPUB_CONTEXT });
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const control = (action: string, body: unknown) => peerControl(peer.origin).control(action, body);
    const send = (activity: unknown, options: { inbox?: string; as?: string } = {}) =>
      peerControl(peer.origin).send(options.inbox ?? `${origin}/inbox`, activity, options.as);
    const received = () => peerControl(peer.origin).received();
    const fetches = () => peerControl(peer.origin).fetches();
    const publish = async (title: string) => `${origin}/p/${await admin.publish({ url: `https://example.org/${encodeURIComponent(title)}`, title, comment: "Avis." })}`;
    const page = async (url: string) => await (await fetch(url)).text();
    const notifications = async () => await (await admin.request("/admin/notifications")).text();
    const until = (what: string, check: () => Promise<boolean>) => waitFor(what, async () => ((await check()) ? true : undefined));
    const reply = (postUrl: string, html: string, options: Parameters<typeof mastodon.reply>[0] extends infer O ? Partial<O> : never = {}) =>
      mastodon.reply({ inReplyTo: postUrl, owner, ownerHandle, ownerUrl: `${origin}/`, html, ...options });
    const newActivities = async (type: string, before: number) => {
      const all = (await received()).filter((activity) => activity.type === type);
      return all.length > before ? all.slice(before) : undefined;
    };
    const count = async (type: string) => (await received()).filter((activity) => activity.type === type).length;

    it("reuses a known account instead of fetching it again, and applies its own Update at once", async () => {
      const postUrl = await publish("Mises à jour");
      await control("follow", { target: owner });
      await until("alice following", async () => (await (await admin.request("/admin/followers")).text()).includes("Alice Peer"));
      await send(reply(postUrl, "Premier passage"));
      await until("the first reply", async () => (await page(postUrl)).includes("Premier passage"));
      const fetched = (await fetches())["/users/alice"] ?? 0;
      assert.ok(fetched >= 1, "fetched once to learn who alice is");
      await send(reply(postUrl, "Deuxième passage"));
      await send(mastodon.like(postUrl), { inbox: `${owner}/inbox` });
      await until("the second reply and the like", async () => {
        const html = await page(postUrl);
        return html.includes("Deuxième passage") && html.includes("1 like");
      });
      assert.equal((await fetches())["/users/alice"] ?? 0, fetched, "not fetched again within the day");

      // Bob is known; alice cannot rename him.
      await send(mastodonPeer(peer.origin, "bob").reply({ inReplyTo: postUrl, owner, ownerHandle, ownerUrl: `${origin}/`, html: "Bob passe" }), { as: "bob" });
      await until("bob's reply", async () => (await page(postUrl)).includes("Bob Peer"));
      await send(mastodon.updateActor({ name: "Usurpateur", as: `${peer.origin}/users/bob` }));
      const blobcat = `${peer.origin}/emoji/blobcat.png`;
      await send(mastodon.updateActor({ name: "Alice Nouvelle :blobcat:", emojis: [{ name: ":blobcat:", url: blobcat }] }));
      await until("the new name under the replies", async () => (await page(postUrl)).includes("Alice Nouvelle"));
      const html = await page(postUrl);
      assert.match(html, new RegExp(`Alice Nouvelle <img class="emoji" src="${blobcat}" alt=":blobcat:"[^>]* width="20" height="20"`));
      assert.doesNotMatch(html, /Alice Peer|Usurpateur/);
      assert.match(html, /Bob Peer/);
      assert.match(await notifications(), /Alice Nouvelle <img class="emoji"/);
      assert.equal((await fetches())["/users/alice"] ?? 0, fetched, "the Update itself said it all");
      // The followers list shows the new name too.
      const followers = await (await admin.request("/admin/followers")).text();
      assert.match(followers, /Alice Nouvelle/);
      assert.doesNotMatch(followers, /Alice Peer/);
    });

    it("shows custom emoji and attachments of replies, through the URL checks", async () => {
      const postUrl = await publish("Images");
      const gts = gotosocialPeer(peer.origin);
      await send(
        gts.reply({
          inReplyTo: postUrl,
          owner,
          html: "<p>Regarde :blobcat: et :piege: !</p>",
          images: [{ url: `${peer.origin}/media/chat.jpg`, alt: "Un chat « endormi »" }],
          emojis: [
            { name: ":blobcat:", url: `${peer.origin}/emoji/blobcat.png` },
            { name: ":piege:", url: "javascript:alert(1)" },
          ],
        }),
      );
      const misskey = misskeyPeer(peer.origin);
      await send(misskey.replyWithFiles(postUrl, owner, [{ url: `${peer.origin}/files/photo.webp`, type: "image/webp", comment: "Vue du port" }]));
      await send(reply(postUrl, "Avec une pièce jointe", { attachments: [{ url: `${peer.origin}/system/doc.pdf`, mediaType: "application/pdf", name: "Le rapport" }] }));
      await until("the three replies", async () => {
        const html = await page(postUrl);
        return html.includes("Regarde") && html.includes("Vue du port") && html.includes("Le rapport");
      });
      const html = await page(postUrl);
      assert.match(html, new RegExp(`Regarde <img class="emoji" src="${peer.origin}/emoji/blobcat.png" alt=":blobcat:"`));
      assert.match(html, /et :piege: !/, "an emoji whose image is not http(s) stays text");
      assert.doesNotMatch(html, /javascript:/);
      assert.match(html, new RegExp(`<img src="${peer.origin}/media/chat.jpg" alt="Un chat « endormi »" loading="lazy"`));
      assert.match(html, new RegExp(`<img src="${peer.origin}/files/photo.webp" alt="Vue du port" loading="lazy"`));
      assert.match(html, new RegExp(`<a href="${peer.origin}/system/doc.pdf"[^>]*>Le rapport</a>`));
    });

    it("counts emoji reactions by emoji, keeps a plain Like a like, and undoes them", async () => {
      const postUrl = await publish("Réactions");
      const misskey = misskeyPeer(peer.origin);
      const akkoma = akkomaPeer(peer.origin, "bob");
      const blobcat = `${peer.origin}/emoji/blobcat.png`;
      const party = misskey.reaction(postUrl, "🎉");
      const custom = misskey.reaction(postUrl, ":blobcat:", blobcat);
      const react = akkoma.emojiReact(postUrl, owner, "🎉");
      await send(misskey.reaction(postUrl, "<b>pas un emoji</b>"), { inbox: `${owner}/inbox` });
      await send(party, { inbox: `${owner}/inbox` });
      await send(custom, { inbox: `${owner}/inbox` });
      await send(react, { inbox: `${owner}/inbox`, as: "bob" });
      await send(mastodon.like(postUrl), { inbox: `${owner}/inbox` });
      await until("the reactions", async () => (await page(postUrl)).includes('<p class="reactions">'));
      await until("every reaction", async () => /🎉 2<\/span> · <span class="reaction"><img class="emoji"[^>]*alt=":blobcat:"[^>]*> 1/.test(await page(postUrl)));
      assert.match(await page(postUrl), /1 like/);
      assert.doesNotMatch(await page(postUrl), /pas un emoji/);
      assert.match(await notifications(), /reacted to your post/);

      await send(misskey.undo(party), { inbox: `${owner}/inbox` });
      await send(akkoma.undo(react, owner), { inbox: `${owner}/inbox`, as: "bob" });
      await until("the undos", async () => !(await page(postUrl)).includes("🎉"));
      assert.match(await page(postUrl), /alt=":blobcat:"[^>]*> 1/);
      assert.match(await page(postUrl), /1 like/);
    });

    it("answers a QuoteRequest with a fetchable QuoteAuthorization, lists the quote, and revokes it", async () => {
      const postUrl = await publish("Citable");
      const note = (await (await fetch(postUrl, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(note.interactionPolicy.canQuote.automaticApproval, "https://www.w3.org/ns/activitystreams#Public");
      const accepts = await count("Accept");
      // Alice asking to quote with a post of bob's.
      const forged = mastodon.quoteRequest(postUrl, "Citation d'un autre");
      forged.instrument.attributedTo = `${peer.origin}/users/bob`;
      await send(forged);
      // And with a post that quotes something else.
      const unrelated = mastodon.quoteRequest(postUrl, "Citation sans rapport");
      Object.assign(unrelated.instrument, { quote: "https://elsewhere.example/1", _misskey_quote: "https://elsewhere.example/1", quoteUri: "https://elsewhere.example/1" });
      await send(unrelated);
      const request = mastodon.quoteRequest(postUrl, "Bien vu, à lire");
      await send(request);
      const [accept] = await waitFor("the Accept", () => newActivities("Accept", accepts));
      assert.ok(accept.userAgent?.startsWith("Glose/"), `delivered with ${accept.userAgent}`);
      assert.equal(accept.json.object.id, request.id);
      const authorizationUrl = accept.json.result;
      assert.ok(authorizationUrl.startsWith(`${origin}/quotes/`), authorizationUrl);
      const authorization = (await (await fetch(authorizationUrl, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(authorization.type, "QuoteAuthorization");
      assert.equal(authorization.id, authorizationUrl);
      assert.equal(authorization.attributedTo, owner);
      assert.equal(authorization.interactingObject, request.instrument.id);
      assert.equal(authorization.interactionTarget, postUrl);
      assert.match(await page(postUrl), /1 quote[\s\S]*Bien vu, à lire/);
      assert.match(await notifications(), /quoted your post/);

      const deletes = await count("Delete");
      const revoked = await admin.submit("/admin/quotes/revoke", { quote: request.instrument.id });
      assert.equal(revoked.status, 303);
      const [deletion] = await waitFor("the Delete", () => newActivities("Delete", deletes));
      assert.equal(deletion.json.object, authorizationUrl);
      const gone = await fetch(authorizationUrl, { headers: { Accept: ACTIVITY_JSON } });
      assert.ok(gone.status === 404 || gone.status === 410, String(gone.status));
      await gone.body?.cancel();
      assert.doesNotMatch(await page(postUrl), /Bien vu, à lire/);
      assert.equal(await count("Accept"), accepts + 1, "only the genuine request accepted");
      assert.doesNotMatch(await (await admin.request("/admin/quotes")).text(), /Citation d&#39;un autre|Citation d'un autre|Citation sans rapport/);
    });

    it("holds quote requests for approval when asked, then sends Accept or Reject", async () => {
      assert.equal((await admin.submit("/admin/quotes/policy", { policy: "manual" })).status, 303);
      const postUrl = await publish("Sur demande");
      const note = (await (await fetch(postUrl, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      assert.equal(note.interactionPolicy.canQuote.manualApproval, "https://www.w3.org/ns/activitystreams#Public");
      // The outbox's Create carries the owner's policy too.
      const outbox = (await (await fetch(`${owner}/outbox?cursor=`, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;
      const create = [outbox.orderedItems].flat().find((item: any) => item.object.id === postUrl);
      assert.equal(create.object.interactionPolicy.canQuote.manualApproval, "https://www.w3.org/ns/activitystreams#Public");
      const [accepts, rejects] = [await count("Accept"), await count("Reject")];
      const first = mastodon.quoteRequest(postUrl, "Première citation");
      const second = mastodon.quoteRequest(postUrl, "Seconde citation");
      await send(first);
      await send(second);
      await until("both requests", async () => {
        const html = await (await admin.request("/admin/quotes")).text();
        return html.includes("Première citation") && html.includes("Seconde citation");
      });
      assert.equal(await count("Accept"), accepts, "nothing accepted before the owner decides");
      assert.doesNotMatch(await page(postUrl), /Première citation/);
      assert.match(await notifications(), /asks to quote your post/);

      await admin.submit("/admin/quotes/approve", { quote: first.instrument.id });
      const [accept] = await waitFor("the Accept", () => newActivities("Accept", accepts));
      assert.equal(accept.json.object.id, first.id);
      const authorization = await fetch(accept.json.result, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(authorization.status, 200);
      await authorization.body?.cancel();
      await admin.submit("/admin/quotes/reject", { quote: second.instrument.id });
      const [reject] = await waitFor("the Reject", () => newActivities("Reject", rejects));
      assert.equal(reject.json.object.id, second.id);
      const html = await page(postUrl);
      assert.match(html, /Première citation/);
      assert.doesNotMatch(html, /Seconde citation/);

      assert.equal((await admin.submit("/admin/quotes/policy", { policy: "nobody" })).status, 303);
      const refused = mastodon.quoteRequest(postUrl, "Refusée d'office");
      await send(refused);
      const rejected = await waitFor("the automatic Reject", () => newActivities("Reject", rejects + 1));
      assert.equal(rejected[0].json.object.id, refused.id);
      assert.equal((await admin.submit("/admin/quotes/policy", { policy: "automatic" })).status, 303);
      assert.equal((await admin.submit("/admin/quotes/policy", { policy: "everyone" })).status, 400);

      // Followers-only posts cannot be quoted, whatever the policy.
      const privateUrl = `${origin}/p/${await admin.publish({ url: "https://example.org/abonnes", title: "Abonnés", comment: "Avis.", visibility: "followers" })}`;
      const closed = mastodon.quoteRequest(privateUrl, "Citation fermée");
      await send(closed);
      const closedReject = await waitFor("the Reject of a followers-only post", () => newActivities("Reject", rejects + 2));
      assert.equal(closedReject[0].json.object.id, closed.id);
    });

    it("records Misskey's quotes, which ask nobody", async () => {
      const postUrl = await publish("Renote");
      const quote = misskeyPeer(peer.origin).quote(postUrl, "Cité à la Misskey");
      await send(quote);
      await send(quote);
      await until("the quote", async () => (await page(postUrl)).includes("Cité à la Misskey"));
      assert.match(await page(postUrl), /1 quote/);
      assert.equal((await notifications()).split("Cité à la Misskey").length - 1, 1);
      // Its author deletes it: it goes.
      await send({ "@context": "https://www.w3.org/ns/activitystreams", id: `${quote.object.id}#delete`, type: "Delete", actor: quote.actor, object: quote.object.id });
      await until("the quote's deletion", async () => !(await page(postUrl)).includes("Cité à la Misskey"));
    });
  });
}
