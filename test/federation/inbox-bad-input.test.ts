// Bad input at the inbox: refused with the right status, and nothing stored.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { sql } from "kysely";
import { backends } from "../helpers/database.ts";
import { OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { startPeer } from "../helpers/processes.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";

for (const backend of backends()) {
  describe(`inbox bad input (${backend})`, () => {
    let glose: TestGlose;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    before(async () => {
      [glose, peer] = await Promise.all([startTestGlose(backend), startPeer()]);
    });
    after(async () => {
      await glose.destroy();
      await peer.stop();
    });

    const follow = () =>
      JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${peer.origin}/payloads/${crypto.randomUUID()}`,
        type: "Follow",
        actor: peer.actor,
        object: `${glose.origin}/users/${OWNER}`,
      });

    const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(new URL(path, glose.origin), {
        method: "POST",
        headers: { "Content-Type": "application/activity+json", ...headers },
        body,
      });

    const nothingStored = async () => {
      const followers = await sql<{ n: number }>`select count(*)::int as n from followers`.execute(glose.database.db);
      const queued = await sql<{ n: number }>`select count(*)::int as n from fedify_queue`.execute(glose.database.db);
      assert.equal(followers.rows[0]?.n, 0, "no follower stored");
      assert.equal(queued.rows[0]?.n, 0, "nothing queued");
    };

    it("answers 401 to an unsigned activity", async () => {
      for (const path of [`/users/${OWNER}/inbox`, "/inbox"]) {
        const response = await post(path, follow());
        assert.equal(response.status, 401, path);
        await response.body?.cancel();
      }
      await nothingStored();
    });

    it("answers 401 to an activity signed with a key that is not the actor's", async () => {
      const forger = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"] as const) {
        const request = new Request(new URL(`/users/${OWNER}/inbox`, glose.origin), {
          method: "POST",
          headers: { "Content-Type": "application/activity+json" },
          body: follow(),
        });
        // The key id names the peer's real key, but the signature is made with another key.
        const signed = await signRequest(request, forger.privateKey, new URL(`${peer.actor}#main-key`), { spec });
        const response = await fetch(signed);
        assert.equal(response.status, 401, spec);
        await response.body?.cancel();
      }
      await nothingStored();
    });

    const sendAsPeer = async (activity: unknown, keyId?: string) => {
      const response = await fetch(`${peer.origin}/control/send`, {
        method: "POST",
        body: JSON.stringify({ inbox: `${glose.origin}/users/${OWNER}/inbox`, activity, keyId }),
      });
      return (await response.json()) as { status: number; body: string };
    };

    it("answers 4xx to an activity whose @context cannot be loaded", async () => {
      for (const context of [`${peer.origin}/contexts/missing.jsonld`, "http://127.0.0.1:1/context.jsonld"]) {
        const activity = { ...JSON.parse(follow()), "@context": ["https://www.w3.org/ns/activitystreams", context] };
        const { status, body } = await sendAsPeer(activity);
        assert.ok(status >= 400 && status < 500, `${context}: ${status} ${body}`);
      }
      await nothingStored();
    });

    it("answers 400 to values of the wrong type that Fedify's parser trips on", async () => {
      const like = { ...JSON.parse(follow()), type: "Like", object: `${glose.origin}/p/none` };
      const wrongTypes = [
        { ...like, published: true },
        { ...like, "@context": ["https://www.w3.org/ns/activitystreams", { focalPoint: { "@container": {}, "@id": "toot:focalPoint" } }] },
      ];
      for (const activity of wrongTypes) {
        const { status, body } = await sendAsPeer(activity);
        assert.equal(status, 400, `${JSON.stringify(activity).slice(0, 200)}: ${body}`);
      }
      await nothingStored();
    });

    it("drops, without retrying, a queued activity whose documents cannot be fetched", async () => {
      const move = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${peer.actor}#moves/${crypto.randomUUID()}`,
        type: "Move",
        actor: peer.actor,
        object: peer.actor,
        target: `${peer.origin}/users/nobody`,
      };
      const { status, body } = await sendAsPeer(move);
      assert.equal(status, 202, body);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const queued = await sql<{ n: number }>`select count(*)::int as n from fedify_queue`.execute(glose.database.db);
        if (queued.rows[0]?.n === 0) break;
        assert.ok(Date.now() < deadline, "the Move is still queued for a retry");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    it("retries a queued activity whose documents' server was unavailable, and drops none", async () => {
      await glose.database.db.insertInto("posts").values({ id: "retried", title: "Un lien", visibility: "public", language: "fr" }).execute();
      const reply = mastodonPeer(peer.origin).reply({
        inReplyTo: `${glose.origin}/p/retried`,
        owner: `${glose.origin}/users/${OWNER}`,
        ownerHandle: `@${OWNER}@${new URL(glose.origin).host}`,
        ownerUrl: `${glose.origin}/`,
        html: "Réponse qui arrive au second essai",
      });
      const path = new URL(reply.object.id).pathname;
      const control = (action: string, body: unknown) => fetch(`${peer.origin}/control/${action}`, { method: "POST", body: JSON.stringify(body) });
      await control("serve", { path, document: { "@context": reply["@context"], ...reply.object } });
      await control("unavailable", { path, times: 2 });
      // The Create names its Note by URL only: Glose must fetch it, and its first two fetches meet a 503.
      const { status, body } = await sendAsPeer({ ...reply, object: reply.object.id });
      assert.equal(status, 202, body);
      const deadline = Date.now() + 30_000;
      while ((await glose.database.db.selectFrom("replies").select("id").where("id", "=", reply.object.id).executeTakeFirst()) === undefined) {
        assert.ok(Date.now() < deadline, "the reply was dropped instead of retried");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const fetches = (await (await fetch(`${peer.origin}/control/fetches`)).json()) as Record<string, number>;
      assert.ok((fetches[path] ?? 0) >= 3, "fetched again after the 503s");
    });

    it("stores a reply whose `sensitive` is not a boolean as not sensitive", async () => {
      await glose.database.db.insertInto("posts").values({ id: "sensible", title: "Un lien", visibility: "public", language: "fr" }).execute();
      const reply = mastodonPeer(peer.origin).reply({
        inReplyTo: `${glose.origin}/p/sensible`,
        owner: `${glose.origin}/users/${OWNER}`,
        ownerHandle: `@${OWNER}@${new URL(glose.origin).host}`,
        ownerUrl: `${glose.origin}/`,
        html: "Oui",
      });
      const { status, body } = await sendAsPeer({ ...reply, object: { ...reply.object, sensitive: "yes" } });
      assert.equal(status, 202, body);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const stored = await glose.database.db.selectFrom("replies").select("sensitive").where("id", "=", reply.object.id).executeTakeFirst();
        if (stored !== undefined) {
          assert.equal(stored.sensitive, false);
          break;
        }
        assert.ok(Date.now() < deadline, "the reply was not stored");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await glose.database.db.deleteFrom("replies").execute();
      await glose.database.db.deleteFrom("posts").execute();
    });

    it("answers 4xx to a signature whose key has a broken PEM", async () => {
      const mallory = `${peer.origin}/raw/mallory`;
      const served = await fetch(`${peer.origin}/control/serve`, {
        method: "POST",
        body: JSON.stringify({
          path: "/raw/mallory",
          document: {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            id: mallory,
            type: "Person",
            preferredUsername: "mallory",
            inbox: `${mallory}/inbox`,
            publicKey: { id: `${mallory}#main-key`, owner: mallory, publicKeyPem: "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n" },
          },
        }),
      });
      assert.equal(served.status, 200);
      const { status, body } = await sendAsPeer({ ...JSON.parse(follow()), actor: mallory }, `${mallory}#main-key`);
      assert.ok(status >= 400 && status < 500, `${status} ${body}`);
      await nothingStored();
    });

    it("answers 400 to malformed JSON", async () => {
      const response = await post(`/users/${OWNER}/inbox`, '{"type": "Follow", ');
      assert.equal(response.status, 400);
      await response.body?.cancel();
      await nothingStored();
    });

    it("answers 413 to a body over 1 MiB, announced or streamed", async () => {
      const big = JSON.stringify({ type: "Create", content: "x".repeat(1024 * 1024 + 10) });
      const announced = await post("/inbox", big);
      assert.equal(announced.status, 413);
      await announced.body?.cancel();
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const streamed = await fetch(new URL(`/users/${OWNER}/inbox`, glose.origin), {
        method: "POST",
        headers: { "Content-Type": "application/activity+json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      assert.equal(streamed.status, 413);
      await streamed.body?.cancel();
      await nothingStored();
    });
  });
}
