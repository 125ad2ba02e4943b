// WebFinger, the actor, NodeInfo and the collections, over real HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";

for (const backend of backends()) {
  describe(`federation identity (${backend})`, () => {
    let glose: TestGlose;
    let host: string;
    let actorId: string;
    before(async () => {
      glose = await startTestGlose(backend);
      host = new URL(glose.origin).host;
      actorId = `${glose.origin}/users/${OWNER}`;
    });
    after(() => glose.destroy());

    const getJson = async (path: string, accept = ACTIVITY_JSON) => {
      const response = await fetch(new URL(path, glose.origin), { headers: { Accept: accept } });
      assert.equal(response.status, 200, `${path}: ${response.status}`);
      return { response, body: (await response.json()) as Record<string, any> };
    };

    it("answers WebFinger for the handle, in any case, and for the actor URL", async () => {
      for (const resource of [`acct:${OWNER}@${host}`, `acct:${OWNER.toUpperCase()}@${host.toUpperCase()}`, actorId]) {
        const { response, body } = await getJson(
          `/.well-known/webfinger?resource=${encodeURIComponent(resource)}`,
          "application/jrd+json",
        );
        assert.match(response.headers.get("content-type") ?? "", /application\/jrd\+json/);
        // Mastodon compares the subject with the handle it asked for, ignoring case.
        assert.equal(body.subject.toLowerCase(), resource === actorId ? actorId : `acct:${OWNER}@${host}`);
        const self = body.links.find((link: any) => link.rel === "self");
        assert.equal(self.type, ACTIVITY_JSON);
        assert.equal(self.href, actorId);
      }
      const unknown = await fetch(`${glose.origin}/.well-known/webfinger?resource=acct:nobody@${host}`);
      assert.equal(unknown.status, 404);
    });

    it("serves the actor as a Person with one RSA key and an Ed25519 key", async () => {
      const { response, body } = await getJson(`/users/${OWNER}`);
      assert.match(response.headers.get("content-type") ?? "", /application\/activity\+json/);
      assert.match(response.headers.get("vary") ?? "", /Accept/i);
      assert.ok([body["@context"]].flat().includes("https://www.w3.org/ns/activitystreams"));
      assert.equal(body.id, actorId);
      assert.equal(body.type, "Person");
      assert.equal(body.preferredUsername, OWNER);
      assert.equal(body.inbox, `${actorId}/inbox`);
      assert.equal(body.endpoints.sharedInbox, `${glose.origin}/inbox`);
      assert.equal(body.followers, `${actorId}/followers`);
      assert.equal(body.url, `${glose.origin}/`);
      assert.equal(Array.isArray(body.publicKey), false);
      assert.equal(body.publicKey.owner, actorId);
      assert.match(body.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
      const methods = [body.assertionMethod].flat();
      assert.ok(methods.some((key: any) => key.type === "Multikey" && key.publicKeyMultibase.startsWith("z6Mk")));
    });

    it("answers HTML clients elsewhere than with the actor JSON", async () => {
      const response = await fetch(`${glose.origin}/users/${OWNER}`, { headers: { Accept: "text/html" } });
      assert.notEqual(response.headers.get("content-type"), ACTIVITY_JSON);
      await response.body?.cancel();
    });

    it("serves NodeInfo 2.1 with usage numbers", async () => {
      const { body: links } = await getJson("/.well-known/nodeinfo", "application/json");
      const href = links.links.find((link: any) => link.rel === "http://nodeinfo.diaspora.software/ns/schema/2.1").href;
      const { body } = await getJson(href, "application/json");
      assert.equal(body.software.name, "glose");
      assert.match(body.software.version, /^\d+\.\d+\.\d+/);
      assert.deepEqual(body.protocols, ["activitypub"]);
      assert.equal(body.openRegistrations, false);
      assert.equal(body.usage.users.total, 1);
      assert.equal(typeof body.usage.localPosts, "number");
    });

    it("serves the followers, following and outbox collections, paged", async () => {
      for (const name of ["followers", "following", "outbox"]) {
        const { body } = await getJson(`/users/${OWNER}/${name}`);
        assert.equal(body.id, `${actorId}/${name}`);
        assert.match(body.type, /Collection$/);
        assert.equal(body.totalItems, 0);
      }
      const { body: followers } = await getJson(`/users/${OWNER}/followers`);
      assert.ok(followers.first, "followers has a first page, so Mastodon shows it as public");
    });
  });
}
