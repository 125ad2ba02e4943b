// The deployment shape end to end: Glose at https://blog.test behind a TLS-terminating proxy, a
// Mastodon-like server at https://peer.test. The peer finds @owner@blog.test through WebFinger
// over https, follows it and gets a signed Accept; every id it sees is on https://blog.test.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

for (const backend of backends()) {
  describe(`Glose behind a TLS proxy, followed over https (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let glose: HttpsGlose;
    let peer: HttpsPeer;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      peer = await network.startPeer("peer.test");
      glose = await network.startGlose("blog.test", await ownerEnv(database.env));
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    it("is found by its handle and followed, and its Accept is verified", async () => {
      const webfinger = await fetch(`https://blog.test/.well-known/webfinger?resource=acct:${OWNER}@blog.test`);
      assert.equal(webfinger.status, 200);
      const response = await fetch(`${peer.origin}/control/follow`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ target: `@${OWNER}@blog.test` }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      const accept = await waitFor("the Accept", async () => {
        const received = (await (await fetch(`${peer.origin}/control/received`)).json()) as any[];
        return received.find((activity) => activity.type === "Accept");
      });
      assert.equal(accept.signature, "draft-cavage");
      assert.equal(accept.json.actor, `https://blog.test/users/${OWNER}`);
      const followers = await fetch(`https://blog.test/users/${OWNER}/followers`, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(((await followers.json()) as { totalItems: number }).totalItems, 1);
    });

    it("lets the peer make signed fetches of Glose's documents", async () => {
      const response = await fetch(`${peer.origin}/control/fetch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url: `https://blog.test/users/${OWNER}` }),
      });
      const { status, body } = (await response.json()) as { status: number; body: string };
      assert.equal(status, 200);
      assert.equal(JSON.parse(body).id, `https://blog.test/users/${OWNER}`);
    });
  });
}
