// Two processes on loopback: a peer that signs like Mastodon before 4.5 follows Glose, gets a
// verified Accept, survives a Glose restart, then undoes the follow.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER } from "../helpers/glose.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { ownerEnv, startGloseProcess, startPeer, waitFor, type RunningProcess } from "../helpers/processes.ts";

for (const backend of backends()) {
  describe(`following Glose from a Mastodon-like server (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    let glose: RunningProcess | undefined;
    let env: Record<string, string>;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      peer = await startPeer();
      env = await ownerEnv(database.env);
      glose = await startGloseProcess(env);
    });
    after(async () => {
      await glose?.stop();
      await peer?.stop();
      await database?.drop();
    });

    const actor = () => `${env.ORIGIN}/users/${OWNER}`;
    const followersCount = async () => {
      const response = await fetch(`${actor()}/followers`, { headers: { Accept: ACTIVITY_JSON } });
      return ((await response.json()) as { totalItems: number }).totalItems;
    };
    const received = () => peerControl(peer.origin).received();
    const control = async (action: string) => ((await peerControl(peer.origin).control(action, { target: actor() })) as { id: string }).id;

    it("accepts the follow with a signed Accept that the peer verifies", async () => {
      const followId = await control("follow");
      const accept = await waitFor("the Accept", async () =>
        (await received()).find((activity) => activity.type === "Accept"),
      );
      assert.equal(accept.json.actor, actor());
      assert.equal(accept.json.object.id, followId);
      assert.equal(accept.json.object.type, "Follow");
      assert.equal(accept.json.object.actor, peer.actor);
      assert.ok(accept.id, "the Accept has an id");
      // The peer refuses RFC 9421 like Mastodon 4.4, so the Accept got through on draft-cavage.
      assert.equal(accept.signature, "draft-cavage");
      assert.equal(await followersCount(), 1);
    });

    it("keeps the follower across a restart", async () => {
      assert.equal(await glose!.stop(), 0);
      glose = await startGloseProcess(env);
      assert.equal(await followersCount(), 1);
      const page = await fetch(`${actor()}/followers?cursor=`, { headers: { Accept: ACTIVITY_JSON } });
      const body = (await page.json()) as { orderedItems?: string[]; items?: string[] };
      assert.deepEqual(body.orderedItems ?? body.items, [peer.actor]);
    });

    it("removes the follower on Undo(Follow)", async () => {
      await control("undo-follow");
      await waitFor("the follower to go", async () => ((await followersCount()) === 0 ? true : undefined));
      // A follow again is accepted again (Mastodon re-follows after key changes).
      await control("follow");
      await waitFor("the second Accept", async () => {
        const accepts = (await received()).filter((activity) => activity.type === "Accept");
        return accepts.length === 2 ? true : undefined;
      });
      assert.equal(await followersCount(), 1);
    });
  });
}
