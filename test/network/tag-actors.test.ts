// Following a single tag, as deployed: Glose at https://blog.test behind a TLS proxy, a
// Mastodon-like server at https://peer.test whose alice follows @ia@blog.test and @web@blog.test
// (and the owner, so that the owner's own deliveries show what tag actors must not add), and
// https://reader.test, whose alice follows only @ia@blog.test.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

interface Received {
  type: string;
  id: string | null;
  json: any;
}

const IA = "https://blog.test/users/ia";
const WEB = "https://blog.test/users/web";

for (const backend of backends()) {
  describe(`tags followed as actors over https (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let peer: HttpsPeer;
    let reader: HttpsPeer;
    let admin: AdminClient;
    const note = (id: string) => `https://blog.test/p/${id}`;
    const received = async (server = peer) => (await (await fetch(`${server.origin}/control/received`)).json()) as Received[];
    const control = async (path: string, body: Record<string, string>, server = peer) => {
      const response = await fetch(`${server.origin}/control/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 200, await response.clone().text());
    };
    const waitForActivity = (what: string, match: (activity: Received) => boolean) =>
      waitFor(what, async () => (await received()).find(match));
    const announcesOf = async (id: string) =>
      (await received()).filter((activity) => activity.type === "Announce" && activity.json.object === note(id));
    const publish = (title: string, tags: string, visibility = "public") =>
      admin.publish({ url: `https://example.org/${crypto.randomUUID()}`, title, tags, visibility });
    const acceptFrom = (actor: string, follower: string) =>
      waitForActivity(`the Accept of ${actor}`, (a) => a.type === "Accept" && a.json.actor === actor && a.json.object?.actor === follower);

    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      [peer, reader] = await Promise.all([network.startPeer("peer.test"), network.startPeer("reader.test")]);
      const glose = await network.startGlose("blog.test", await ownerEnv(database.env));
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      // A tag is an actor once a public post carries it.
      await publish("Premier lien", "ia web cuisine");
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    it("finds the tag actor by WebFinger and from the tag page", async () => {
      const webfinger = await fetch("https://blog.test/.well-known/webfinger?resource=acct:IA@blog.test");
      assert.equal(webfinger.status, 200);
      const links = ((await webfinger.json()) as { links: { rel: string; href?: string }[] }).links;
      assert.equal(links.find((link) => link.rel === "self")?.href, IA);
      const actor = (await (await fetch(IA, { headers: { Accept: ACTIVITY_JSON } })).json()) as Record<string, any>;
      assert.equal(actor.type, "Service");
      assert.equal(actor.preferredUsername, "ia");
      assert.match(actor.name, /#ia$/);
      assert.equal(actor.url, "https://blog.test/tags/ia");
      assert.equal(actor.publicKey.id, `${IA}#main-key`);
      const page = await (await fetch("https://blog.test/tags/ia")).text();
      assert.match(page, new RegExp(`<link rel="alternate" type="application/activity\\+json" href="${IA}">`));
      assert.match(page, /<code>@ia@blog\.test<\/code> <button type="button" class="secondary small copy" data-copy="@ia@blog\.test"/);
      const owner = await fetch(`https://blog.test/.well-known/webfinger?resource=acct:${OWNER}@blog.test`);
      assert.equal(owner.status, 200);
      const nodeinfo = (await (await fetch("https://blog.test/nodeinfo/2.1")).json()) as { metadata: { followableTags: boolean } };
      assert.equal(nodeinfo.metadata.followableTags, true);
      assert.match(await (await fetch("https://blog.test/")).text(), /can also be followed on its own/);
    });

    it("is followed like the owner, with a signed Accept from the tag actor", async () => {
      await control("follow", { target: `@${OWNER}@blog.test` });
      await control("follow", { target: "@ia@blog.test" });
      await control("follow", { target: "@web@blog.test" });
      await control("follow", { target: "@ia@blog.test" }, reader);
      await acceptFrom(IA, "https://peer.test/users/alice");
      await acceptFrom(WEB, "https://peer.test/users/alice");
      await waitFor("the reader's Accept", async () => (await received(reader)).find((a) => a.type === "Accept" && a.json.actor === IA));
      const followers = (await (await fetch(`${IA}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(followers.totalItems, 2);
    });

    it("announces only public posts with a followed tag, once per tag actor", async () => {
      const both = await publish("Les deux", "ia, web");
      const cuisine = await publish("Tarte", "cuisine");
      const announces = await waitFor("an Announce from each tag", async () => {
        const found = await announcesOf(both);
        return found.length >= 2 ? found : undefined;
      });
      const ia = await publish("Rien que l'IA", "ia");
      await waitFor("the Announce of the #ia post", async () => ((await announcesOf(ia)).length > 0 ? true : undefined));
      assert.deepEqual(announces.map((a) => a.json.actor).sort(), [IA, WEB]);
      assert.equal((await announcesOf(both)).length, 2);
      assert.deepEqual((await announcesOf(ia)).map((a) => a.json.actor), [IA]);
      assert.deepEqual(await announcesOf(cuisine), []);
      const [announce] = await announcesOf(ia);
      assert.equal(announce!.json.to, "as:Public");
      assert.ok(announce!.json.id.startsWith(`${IA}/announces/`));
      const fetched = await fetch(announce!.json.id, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(fetched.status, 200);
      const outbox = (await (await fetch(`${IA}/outbox`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(outbox.totalItems, 3);
    });

    it("never sends followers-only or private posts through a tag actor", async () => {
      const followersOnly = await publish("Pour les abonnés", "ia", "followers");
      const secret = await publish("Carnet", "ia", "private");
      // The owner's followers get the followers-only Create; then a public post's Announce.
      await waitForActivity("the followers-only Create", (a) => a.type === "Create" && a.json.object?.id === note(followersOnly));
      const marker = await publish("Après", "ia");
      await waitFor("the marker's Announce", async () => ((await announcesOf(marker)).length > 0 ? true : undefined));
      assert.deepEqual(await announcesOf(followersOnly), []);
      assert.deepEqual(await announcesOf(secret), []);
      assert.equal((await received()).filter((a) => JSON.stringify(a.json).includes(note(secret))).length, 0);
      assert.equal((await fetch(`${IA}/announces/${followersOnly}`, { headers: { Accept: ACTIVITY_JSON } })).status, 404);
      const outbox = (await (await fetch(`${IA}/outbox`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(outbox.totalItems, 4);
      const first = (await (await fetch(`${IA}/outbox?cursor=`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { orderedItems: { object: string }[] };
      assert.deepEqual(first.orderedItems.map((item) => item.object), [note(marker), ...first.orderedItems.slice(1).map((item) => item.object)]);
      assert.equal(first.orderedItems.length, 4);
    });

    it("sends edits to tag followers, and an Undo and the Delete when a post goes", async () => {
      const id = await publish("À modifier", "cuisine ia");
      const ofPost = async (type: string) =>
        (await received(reader)).filter((a) => a.type === type && (a.json.object === note(id) || a.json.object?.id === note(id) || a.json.object?.object === note(id)));
      await waitFor("the reader's Announce", async () => ((await ofPost("Announce")).length > 0 ? true : undefined));
      await admin.publish({ url: `https://example.org/edited-${id}`, title: "Modifié", tags: "cuisine ia" }, `/admin/posts/${id}`);
      const [update] = await waitFor("the reader's Update", async () => {
        const found = await ofPost("Update");
        return found.length > 0 ? found : undefined;
      });
      assert.equal(update!.json.actor, `https://blog.test/users/${OWNER}`);
      assert.equal(update!.json.object.name ?? update!.json.object.content.includes("Modifié"), true);
      const deleted = await admin.submit(`/admin/posts/${id}/delete`, {});
      assert.equal(deleted.status, 303);
      const [undo] = await waitFor("the reader's Undo", async () => {
        const found = await ofPost("Undo");
        return found.length > 0 ? found : undefined;
      });
      assert.equal(undo!.json.actor, IA);
      const [gone] = await waitFor("the reader's Delete", async () => {
        const found = await ofPost("Delete");
        return found.length > 0 ? found : undefined;
      });
      assert.equal(gone!.json.actor, `https://blog.test/users/${OWNER}`);
      // The reader follows no one else: it never gets the owner's Creates.
      assert.equal((await received(reader)).some((a) => a.type === "Create"), false);
      assert.equal((await ofPost("Announce")).length, 1);
    });

    it("stops announcing when a post loses its tag or becomes followers-only", async () => {
      const id = await publish("Change de tag", "ia");
      await waitFor("the Announce", async () => ((await announcesOf(id)).length > 0 ? true : undefined));
      await admin.publish({ url: `https://example.org/retagged-${id}`, title: "Change de tag", tags: "cuisine", visibility: "followers" }, `/admin/posts/${id}`);
      await waitForActivity("the Undo", (a) => a.type === "Undo" && a.json.actor === IA && a.json.object?.object === note(id));
    });

    it("waits for the owner's approval when the account is locked", async () => {
      const saved = await admin.submit("/admin/settings", {
        display_name: "Seb",
        default_visibility: "public",
        language: "fr",
        interface_language: "auto",
        locked: "on",
      });
      assert.equal(saved.status, 303);
      const actor = (await (await fetch(IA, { headers: { Accept: ACTIVITY_JSON } })).json()) as Record<string, unknown>;
      assert.equal(actor.manuallyApprovesFollowers, true);
      assert.equal(actor.name, "Seb — #ia");
      await control("follow", { target: "@ia@blog.test", as: "bob" });
      const page = await waitFor("the request on the admin page", async () => {
        const html = await (await admin.request("/admin/tags")).text();
        return html.includes("https://peer.test/users/bob") ? html : undefined;
      });
      assert.match(page, /waiting/);
      assert.equal((await received()).some((a) => a.type === "Accept" && a.json.object?.actor === "https://peer.test/users/bob"), false);
      const approved = await admin.submit("/admin/tags/followers/approve", { handle: "ia", actor: "https://peer.test/users/bob" });
      assert.equal(approved.status, 303);
      await acceptFrom(IA, "https://peer.test/users/bob");
      const followers = (await (await fetch(`${IA}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(followers.totalItems, 3);
    });

    it("forgets a follower who unfollows the tag", async () => {
      await control("undo-follow", { target: "@web@blog.test" });
      await waitFor("no follower of #web", async () => {
        const followers = (await (await fetch(`${WEB}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
        return followers.totalItems === 0 ? true : undefined;
      });
      const ia = (await (await fetch(`${IA}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(ia.totalItems, 3);
    });

    it("has no tag actors, and sends nothing through them, when turned off", async () => {
      const off = await admin.submit("/admin/tags/feature", {});
      assert.equal(off.status, 303);
      assert.equal((await fetch("https://blog.test/.well-known/webfinger?resource=acct:ia@blog.test")).status, 404);
      assert.equal((await fetch(IA, { headers: { Accept: ACTIVITY_JSON } })).status, 404);
      const nodeinfo = (await (await fetch("https://blog.test/nodeinfo/2.1")).json()) as { metadata: { followableTags: boolean } };
      assert.equal(nodeinfo.metadata.followableTags, false);
      assert.doesNotMatch(await (await fetch("https://blog.test/tags/ia")).text(), /@ia@blog\.test/);
      const quiet = await publish("En silence", "ia");
      await waitForActivity("the owner's Create", (a) => a.type === "Create" && a.json.object?.id === note(quiet));
      // Back on, a later post is announced: had the first one been, it would have come before.
      assert.equal((await admin.submit("/admin/tags/feature", { on: "on" })).status, 303);
      const loud = await publish("À voix haute", "ia");
      await waitFor("the later Announce", async () => ((await announcesOf(loud)).length > 0 ? true : undefined));
      assert.deepEqual(await announcesOf(quiet), []);
    });

    it("sends nothing through a tag to a blocked server", async () => {
      assert.equal((await admin.submit("/admin/blocks/domain", { domain: "reader.test" })).status, 303);
      const id = await publish("Pas pour reader", "ia");
      await waitFor("the peer's Announce", async () => ((await announcesOf(id)).length > 0 ? true : undefined));
      assert.equal((await received(reader)).some((a) => a.type === "Announce" && a.json.object === note(id)), false);
      const followers = (await (await fetch(`${IA}/followers`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(followers.totalItems, 2);
    });

    it("turns one tag off", async () => {
      assert.equal((await admin.submit("/admin/tags/ia/toggle", {})).status, 303);
      assert.equal((await fetch("https://blog.test/.well-known/webfinger?resource=acct:ia@blog.test")).status, 404);
      assert.equal((await fetch("https://blog.test/.well-known/webfinger?resource=acct:cuisine@blog.test")).status, 200);
      assert.equal((await admin.submit("/admin/tags/nope/toggle", { on: "on" })).status, 404);
    });
  });
}
