// Followers-only posts as deployed: Glose at https://blog.test behind a TLS proxy, a follower at
// https://peer.test and a stranger at https://stranger.test, both fetching with signatures. Only
// the follower's server gets the Note and sees it in the outbox; a private post reaches nobody.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsGlose, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

for (const backend of backends()) {
  describe(`followers-only posts over https (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let glose: HttpsGlose;
    let follower: HttpsPeer;
    let stranger: HttpsPeer;
    let followersOnly: string;
    let privateOne: string;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      [follower, stranger] = await Promise.all([network.startPeer("peer.test"), network.startPeer("stranger.test")]);
      glose = await network.startGlose("blog.test", await ownerEnv(database.env));
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      followersOnly = await admin.publish({ url: "https://example.org/abonnes", title: "Pour les abonnés", visibility: "followers" });
      privateOne = await admin.publish({ url: "https://example.org/prive", title: "Carnet privé", visibility: "private" });
      const follow = await fetch(`${follower.origin}/control/follow`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ target: `@${OWNER}@blog.test` }),
      });
      assert.equal(follow.status, 200, await follow.text());
      await waitFor("the Accept", async () => {
        const received = (await (await fetch(`${follower.origin}/control/received`)).json()) as { type: string }[];
        return received.find((activity) => activity.type === "Accept");
      });
    });
    after(async () => {
      await network?.close();
      await database?.drop();
    });

    const signedFetch = async (peer: HttpsPeer, url: string) => {
      const response = await fetch(`${peer.origin}/control/fetch`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ url }),
      });
      return (await response.json()) as { status: number; body: string };
    };

    it("serves the followers-only Note to the follower's server only", async () => {
      const note = `https://blog.test/p/${followersOnly}`;
      const allowed = await signedFetch(follower, note);
      assert.equal(allowed.status, 200);
      assert.equal(JSON.parse(allowed.body).id, note);
      assert.equal((await signedFetch(stranger, note)).status, 404);
      const anonymous = await fetch(note, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(anonymous.status, 404);
      await anonymous.body?.cancel();
    });

    it("never serves a private post's Note", async () => {
      assert.equal((await signedFetch(follower, `https://blog.test/p/${privateOne}`)).status, 404);
      assert.equal((await signedFetch(follower, `https://blog.test/p/${privateOne}/create`)).status, 404);
    });

    it("lists the followers-only post in the outbox for the follower's server only", async () => {
      const page = `https://blog.test/users/${OWNER}/outbox?cursor=`;
      const items = (body: string) => ((JSON.parse(body) as { orderedItems?: unknown }).orderedItems ?? []) as unknown[];
      const forFollower = await signedFetch(follower, page);
      assert.equal(forFollower.status, 200);
      assert.match(forFollower.body, new RegExp(`/p/${followersOnly}`));
      assert.doesNotMatch(forFollower.body, new RegExp(`/p/${privateOne}`));
      const forStranger = await signedFetch(stranger, page);
      assert.equal(forStranger.status, 200);
      assert.deepEqual(items(forStranger.body), []);
    });
  });
}
