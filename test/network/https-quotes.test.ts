// Mastodon 4.5's quote flow in the deployment shape: a QuoteRequest from https://peer.test is
// answered by an Accept whose QuoteAuthorization the peer fetches, signed, from https://blog.test.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";

for (const backend of backends()) {
  describe(`quotes over https (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let peer: HttpsPeer;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      peer = await network.startPeer("peer.test");
      await network.startGlose("blog.test", await ownerEnv(database.env));
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const control = (action: string, body: unknown) => peerControl(peer.origin).control(action, body);

    it("accepts a QuoteRequest with an authorization the quoting server can fetch", async () => {
      const admin = new AdminClient("https://blog.test");
      await admin.logIn(OWNER_PASSWORD);
      const postUrl = `https://blog.test/p/${await admin.publish({ url: "https://example.org/q", title: "Citable", comment: "Avis." })}`;
      const request = mastodonPeer(peer.origin).quoteRequest(postUrl, "Vu sur blog.test");
      const sent = await control("send", { inbox: "https://blog.test/inbox", activity: request });
      assert.equal(sent.status, 202, sent.body);
      const accept = await waitFor("the Accept", async () => {
        const received = (await (await fetch(`${peer.origin}/control/received`)).json()) as any[];
        return received.find((activity) => activity.type === "Accept");
      });
      assert.equal(accept.signature, "draft-cavage");
      assert.ok(accept.userAgent?.startsWith("Glose/"), accept.userAgent);
      assert.equal(accept.json.actor, `https://blog.test/users/${OWNER}`);
      assert.equal(accept.json.object.id, request.id);
      const { status, body } = await control("fetch", { url: accept.json.result });
      assert.equal(status, 200);
      const authorization = JSON.parse(body);
      assert.equal(authorization.type, "QuoteAuthorization");
      assert.ok(authorization.id.startsWith("https://blog.test/quotes/"), authorization.id);
      assert.equal(authorization.attributedTo, `https://blog.test/users/${OWNER}`);
      assert.equal(authorization.interactingObject, request.instrument.id);
      assert.equal(authorization.interactionTarget, postUrl);
      await waitFor("the quote under the post", async () => ((await (await fetch(postUrl)).text()).includes("Vu sur blog.test") ? true : undefined));
    });
  });
}
