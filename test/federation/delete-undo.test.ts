// Delete with undo, two processes on loopback: the post leaves the blog at once, its Delete waits
// out the undo window in the queue; Undo within the window brings the same Note back and no
// follower ever hears of the deletion; without Undo, the Delete reaches the follower afterwards.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { startGloseWithPeer, type GloseWithPeer } from "../helpers/glose-with-peer.ts";

const WINDOW_SECONDS = 4;

for (const backend of backends()) {
  describe(`delete with undo (${backend})`, () => {
    let setup: GloseWithPeer;
    let peer: GloseWithPeer["peer"];
    let admin: AdminClient;
    let origin: string;
    before(async () => {
      setup = await startGloseWithPeer(backend, { env: { DELETE_UNDO_SECONDS: String(WINDOW_SECONDS) }, followed: true });
      ({ peer, admin, origin } = setup);
    });
    after(() => setup?.stop());

    const received = () => peerControl(peer.origin).received();
    const about = async (noteId: string) =>
      (await received()).filter((a) => (typeof a.json.object === "string" ? a.json.object : a.json.object?.id) === noteId);
    const published = async (fields: Record<string, string>) => {
      const id = await admin.publish(fields);
      await waitFor("the Create", async () => ((await about(`${origin}/p/${id}`)).length > 0 ? true : undefined));
      return id;
    };
    const status = async (path: string, accept = "text/html") => {
      const response = await fetch(`${origin}${path}`, { headers: { Accept: accept } });
      await response.body?.cancel();
      return response.status;
    };
    const dashboard = async (query = "") => await (await admin.request(`/admin${query}`, { headers: { "Accept-Language": "en" } })).text();

    it("holds the Delete: Undo within the window brings the post back and sends nothing, else the Delete leaves after the window", async () => {
      const kept = await published({ url: "https://example.org/kept", title: "Kept after all" });
      const gone = await published({ url: "https://example.org/gone", title: "Really gone" });

      const deletion = await admin.submit(`/admin/posts/${kept}/delete`, {});
      assert.equal(deletion.status, 303);
      assert.equal(deletion.headers.get("location"), "/admin?deleted=1");
      assert.equal(await status(`/p/${kept}`), 410, "gone from the blog at once");
      const listed = await dashboard("?deleted=1");
      assert.match(listed, /Deleted «Kept after all» — <button[^>]*>Undo<\/button>/);
      assert.match(listed, new RegExp(`action="/admin/posts/${kept}/undo"`));

      // A visitor cannot undo (the owner's routes), nor can a form without the CSRF token.
      const visitor = new AdminClient(origin);
      const refused = await visitor.submit(`/admin/posts/${kept}/undo`, {});
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
      assert.equal(await status(`/p/${kept}`), 410);

      const undone = await admin.submit(`/admin/posts/${kept}/undo`, {});
      assert.equal(undone.status, 303);
      assert.equal(undone.headers.get("location"), "/admin?restored=1");
      assert.match(await dashboard("?restored=1"), /The post is back, as it was\./);
      assert.doesNotMatch(await dashboard(), /Deleted «Kept after all»/);
      assert.equal(await status(`/p/${kept}`), 200);
      assert.equal(await status(`/p/${kept}`, ACTIVITY_JSON), 200, "the very same Note id is back");

      const deletedAt = Date.now();
      await (await admin.submit(`/admin/posts/${gone}/delete`, {})).body?.cancel();
      assert.equal((await about(`${origin}/p/${gone}`)).length, 1, "the Delete waits");
      const [, deleteActivity] = await waitFor(
        "the held Delete",
        async () => {
          const activities = await about(`${origin}/p/${gone}`);
          return activities.length === 2 ? activities : undefined;
        },
        30_000,
      );
      assert.equal(deleteActivity.type, "Delete");
      assert.ok(Date.parse(deleteActivity.receivedAt) - deletedAt >= WINDOW_SECONDS * 1000, "not before the window closed");
      // The undone deletion was held as long, and it was taken out of the queue: nothing came.
      assert.deepEqual((await about(`${origin}/p/${kept}`)).map((a) => a.type), ["Create"]);

      // Too late now: the post stays deleted, and the dashboard no longer offers Undo.
      assert.doesNotMatch(await dashboard(), /Really gone/);
      const late = await admin.submit(`/admin/posts/${gone}/undo`, {});
      assert.equal(late.headers.get("location"), "/admin?undo=too-late");
      assert.equal(await status(`/p/${gone}`), 410);
      const french = await (await admin.request("/admin?undo=too-late", { headers: { "Accept-Language": "fr" } })).text();
      assert.match(french, /Trop tard pour annuler/);
    });

    it("refuses to bring back a link posted again meanwhile", async () => {
      const first = await published({ url: "https://example.org/twice", title: "First" });
      await (await admin.submit(`/admin/posts/${first}/delete`, {})).body?.cancel();
      const second = await admin.publish({ url: "https://example.org/twice", title: "Second" });
      const undo = await admin.submit(`/admin/posts/${first}/undo`, {});
      assert.equal(undo.headers.get("location"), "/admin?undo=duplicate");
      assert.equal(await status(`/p/${first}`), 410);
      assert.equal(await status(`/p/${second}`), 200);
      assert.match(await dashboard("?undo=duplicate"), /This link was posted again meanwhile/);
    });
  });
}
