// Glose at https://blog.test behind a TLS proxy that reaches it over plain http: the peer finds
// and follows @owner@blog.test, receives what the owner does, and fetches the outbox and a Note's
// collections; every id it sees is on https://blog.test, public addressing is the full IRI and
// profile fields are an array, in deliveries as in fetched documents.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";
import { peerControl } from "../helpers/peer-control.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const ACTOR = `https://blog.test/users/${OWNER}`;

for (const backend of backends()) {
  describe(`one canonical origin end to end, behind a TLS proxy (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let peer: HttpsPeer;
    let admin: AdminClient;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      peer = await network.startPeer("peer.test");
      await network.startGlose("blog.test", await ownerEnv(database.env));
      admin = new AdminClient("https://blog.test");
      await admin.logIn(OWNER_PASSWORD);
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const received = () => peerControl(peer.origin).received();
    const delivered = (what: string, match: (activity: any) => boolean) =>
      waitFor(what, async () => (await received()).find(match));
    /** A GET signed by the peer's alice, as a server fetches: the document, which must be all on https. */
    const peerFetch = async (url: string) => {
      assert.ok(url.startsWith("https://blog.test/"), url);
      const response = await fetch(`${peer.origin}/control/fetch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url }),
      });
      const { status, body } = (await response.json()) as { status: number; body: string };
      assert.equal(status, 200, `${url}: ${body.slice(0, 200)}`);
      assert.doesNotMatch(body, /http:\/\/blog\.test|127\.0\.0\.1/, url);
      return JSON.parse(body);
    };
    const assertIdsOnOrigin = (document: unknown, what: string) => {
      const ids = [...JSON.stringify(document).matchAll(/"(?:id|first|next|partOf|replies|likes|shares)":"([^"]+)"/g)].map((match) => match[1]!);
      assert.ok(ids.length > 0, what);
      for (const id of ids) assert.ok(id.startsWith("https://blog.test/") || id.startsWith("https://peer.test/"), `${what}: ${id}`);
    };

    it("is followed by its handle over https", async () => {
      const response = await fetch(`${peer.origin}/control/follow`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ target: `@${OWNER}@blog.test` }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const accept = await delivered("the Accept", (activity) => activity.type === "Accept");
      assert.equal(accept.raw.actor, ACTOR);
    });

    /**
     * Addressing names the public in full. (Fedify writes `as:Public` inside the quote policy of
     * what it delivers; Mastodon and GoToSocial, which read that policy, take either form.)
     */
    const assertNoShortPublic = (activity: any) => {
      for (const document of [activity, activity.object]) {
        for (const field of ["to", "cc", "bto", "bcc", "audience"]) {
          assert.doesNotMatch(JSON.stringify(document[field] ?? null), /"(as:)?Public"/, `${document.type}.${field}`);
        }
      }
    };

    it("delivers Create and Update with the full Public IRI", async () => {
      const id = await admin.publish({ title: "Une note sans lien", comment: "Bonjour *le fédivers*" });
      const create = await delivered("the Create", (activity) => activity.type === "Create");
      assert.ok([create.raw.to].flat().includes(PUBLIC), JSON.stringify(create.raw.to));
      assert.ok([create.raw.object.to].flat().includes(PUBLIC), JSON.stringify(create.raw.object.to));
      assertNoShortPublic(create.raw);
      assertIdsOnOrigin(create.raw, "Create");

      const edit = await admin.submit(`/admin/posts/${id}`, { action: "save", title: "Une note modifiée", comment: "Bonjour", visibility: "public", language: "fr" });
      assert.equal(edit.status, 303);
      const update = await delivered("the Update", (activity) => activity.type === "Update" && activity.raw.object?.type === "Note");
      assert.ok([update.raw.object.to].flat().includes(PUBLIC));
      assertNoShortPublic(update.raw);
    });

    it("delivers a single profile field as an array, and serves it so", async () => {
      const saved = await admin.submit("/admin/settings", {
        display_name: "Le blog",
        summary: "",
        field_name_0: "Site",
        field_value_0: "https://blog.test/",
        default_visibility: "public",
        language: "fr",
        interface_language: "auto",
      });
      assert.equal(saved.status, 303);
      const update = await delivered("the Update(Person)", (activity) => activity.type === "Update" && activity.raw.object?.type === "Person");
      assert.ok(Array.isArray(update.raw.object.attachment), JSON.stringify(update.raw.object.attachment));
      assert.equal(update.raw.object.attachment[0].name, "Site");
      const actor = await peerFetch(ACTOR);
      assert.ok(Array.isArray(actor.attachment));
      assert.deepEqual(actor.attributionDomains, ["blog.test"]);
    });

    it("lets the peer walk the outbox and a Note's collections, all on https", async () => {
      const actor = await peerFetch(ACTOR);
      const outbox = await peerFetch(actor.outbox);
      assertIdsOnOrigin(outbox, "outbox");
      const first = await peerFetch(outbox.first);
      assertIdsOnOrigin(first, "outbox page");
      assert.equal(first.partOf, actor.outbox);
      const note = await peerFetch(first.orderedItems[0].object.id);
      assertIdsOnOrigin(note, "Note");
      for (const name of ["replies", "likes", "shares"]) {
        assert.ok(note[name].id.startsWith(`${note.id}/`), name);
        assertIdsOnOrigin(await peerFetch(note[name].id), name);
      }
      const following = await peerFetch(actor.following);
      assertIdsOnOrigin(await peerFetch(following.first), "following page");
    });
  });
}
