// The accounts behind activities are kept for a day: used as stored within it, fetched again
// after it. Glose runs in this process, so the test can age the stored copy.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { startPeer, waitFor } from "../helpers/processes.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";

for (const backend of backends()) {
  describe(`stored remote accounts (${backend})`, () => {
    let glose: TestGlose;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    before(async () => {
      [glose, peer] = await Promise.all([startTestGlose(backend), startPeer()]);
    });
    after(async () => {
      await glose.destroy();
      await peer.stop();
    });

    it("fetches an account again once its stored copy is a day old", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const postUrl = `${glose.origin}/p/${await admin.publish({ url: "https://example.org/cache", title: "Cache", comment: "Avis." })}`;
      const owner = `${glose.origin}/users/${OWNER}`;
      const mastodon = mastodonPeer(peer.origin);
      const send = async (text: string) => {
        const activity = mastodon.reply({ inReplyTo: postUrl, owner, ownerHandle: `@${OWNER}@${new URL(glose.origin).host}`, ownerUrl: `${glose.origin}/`, html: text });
        const response = await fetch(`${peer.origin}/control/send`, { method: "POST", body: JSON.stringify({ inbox: `${glose.origin}/inbox`, activity }) });
        assert.equal(((await response.json()) as { status: number }).status, 202);
        await waitFor(text, async () => ((await (await fetch(postUrl)).text()).includes(text) ? true : undefined));
      };
      const fetches = async () => ((await (await fetch(`${peer.origin}/control/fetches`)).json()) as Record<string, number>)["/users/alice"] ?? 0;

      await send("Un");
      const first = await fetches();
      await send("Deux");
      assert.equal(await fetches(), first, "used as stored within the day");
      await sql`update remote_actors set refreshed_at = now() - interval '25 hours'`.execute(glose.database.db);
      await send("Trois");
      assert.equal(await fetches(), first + 1, "fetched again after it");
      await send("Quatre");
      assert.equal(await fetches(), first + 1, "and stored afresh");
    });
  });
}
