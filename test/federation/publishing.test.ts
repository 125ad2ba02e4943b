// Two processes on loopback: a follower's server receives Create, Update and Delete of one post,
// each signed and in that order; a private post sends nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";
import { peerControl } from "../helpers/peer-control.ts";
import { startGloseWithPeer, type GloseWithPeer } from "../helpers/glose-with-peer.ts";

for (const backend of backends()) {
  describe(`publishing to followers (${backend})`, () => {
    let setup: GloseWithPeer;
    let peer: GloseWithPeer["peer"];
    let admin: AdminClient;
    let origin: string;
    before(async () => {
      setup = await startGloseWithPeer(backend, { followed: true });
      ({ peer, admin, origin } = setup);
    });
    after(() => setup?.stop());

    const received = () => peerControl(peer.origin).received();
    const about = (noteId: string) => async () => {
      const activities = (await received()).filter((a) => a.type !== "Accept");
      return activities.filter((a) => (typeof a.json.object === "string" ? a.json.object : a.json.object?.id) === noteId);
    };

    it("sends Create, then Update, then Delete, each signed", async () => {
      const id = await admin.publish({
        url: "https://example.org/article?utm_source=mastodon&id=7",
        title: "Un article « important »",
        comment: "Mon *commentaire*, avec une [source](https://example.net/).",
        tags: "fédivers logiciel-libre",
      });
      const noteId = `${origin}/p/${id}`;
      const [create] = await waitFor("the Create", async () => {
        const activities = await about(noteId)();
        return activities.length >= 1 ? activities : undefined;
      });
      assert.equal(create.type, "Create");
      assert.equal(create.signature, "draft-cavage");
      const note = create.json.object;
      assert.equal(note.type, "Note");
      assert.equal(note.attributedTo, `${origin}/users/${OWNER}`);
      assert.ok([note.to].flat().some((to: string) => /Public$/.test(to)));
      assert.deepEqual([note.cc].flat(), [`${origin}/users/${OWNER}/followers`]);
      // The shared link comes first, stripped of its tracking parameter: Mastodon's card uses it.
      const firstHref = /<a [^>]*href="([^"]+)"/.exec(note.content)?.[1];
      assert.equal(firstHref, "https://example.org/article?id=7");
      assert.match(note.content, /Un article «\u202Fimportant\u202F»/u);
      assert.match(note.content, /<em>commentaire<\/em>/);
      assert.match(note.content, /rel="tag"/);
      assert.equal(note.contentMap.fr, note.content);
      assert.equal(note.updated, undefined);
      assert.ok([note.tag].flat().some((tag: any) => tag.type === "Hashtag" && tag.name === "#fédivers"));

      // The Note at its id is what was sent.
      const fetched = await fetch(noteId, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(fetched.status, 200);
      const fetchedNote = (await fetched.json()) as any;
      assert.equal(fetchedNote.id, noteId);
      assert.equal(fetchedNote.content, note.content);

      await admin.publish({ url: "https://example.org/article?id=7", title: "Un article corrigé", comment: "Édité." }, `/admin/posts/${id}`);
      const afterUpdate = await waitFor("the Update", async () => {
        const activities = await about(noteId)();
        return activities.length >= 2 ? activities : undefined;
      });
      assert.equal(afterUpdate[1].type, "Update");
      assert.equal(afterUpdate[1].signature, "draft-cavage");
      assert.match(afterUpdate[1].json.object.content, /Un article corrigé/);
      assert.ok(afterUpdate[1].json.object.updated > afterUpdate[1].json.object.published);

      const deletion = await admin.submit(`/admin/posts/${id}/delete`, {});
      assert.equal(deletion.status, 303);
      const afterDelete = await waitFor("the Delete", async () => {
        const activities = await about(noteId)();
        return activities.length >= 3 ? activities : undefined;
      });
      assert.deepEqual(afterDelete.map((a) => a.type), ["Create", "Update", "Delete"]);
      assert.equal(afterDelete[2].json.object.type, "Tombstone");
      const gone = await fetch(noteId, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(gone.status, 410);
      await gone.body?.cancel();
    });

    it("sends nothing for a private post", async () => {
      const id = await admin.publish({ url: "https://example.org/secret", title: "Secret", visibility: "private" });
      // A public post made after it arrives; had the private one been sent, it would be first.
      const marker = await admin.publish({ url: "https://example.org/marker", title: "Marker" });
      await waitFor("the marker", async () => ((await about(`${origin}/p/${marker}`)()).length > 0 ? true : undefined));
      assert.deepEqual(await about(`${origin}/p/${id}`)(), []);
      const hidden = await fetch(`${origin}/p/${id}`, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(hidden.status, 404);
      await hidden.body?.cancel();
    });

    it("deletes a post turned private remotely, and creates it anew, with a new id, when public again", async () => {
      const id = await admin.publish({ url: "https://example.org/toggle", title: "Aller-retour" });
      const first = `${origin}/p/${id}`;
      await waitFor("the Create", async () => ((await about(first)()).length === 1 ? true : undefined));
      await admin.publish({ url: "https://example.org/toggle", title: "Aller-retour", visibility: "private" }, `/admin/posts/${id}`);
      await waitFor("the Delete", async () => ((await about(first)()).length === 2 ? true : undefined));
      assert.deepEqual((await about(first)()).map((a) => a.type), ["Create", "Delete"]);
      await admin.publish({ url: "https://example.org/toggle", title: "Aller-retour", visibility: "public" }, `/admin/posts/${id}`);
      // Servers keep a tombstone for a deleted id: the post comes back under a new one.
      const second = `${origin}/p/${id}~1`;
      const [create] = await waitFor("the new Create", async () => {
        const activities = await about(second)();
        return activities.length === 1 ? activities : undefined;
      });
      assert.equal(create.type, "Create");
      assert.equal(create.json.object.url, first);
      const old = await fetch(first, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(old.status, 410);
      await old.body?.cancel();
      const current = await fetch(second, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(current.status, 200);
      assert.equal(((await current.json()) as any).id, second);
      assert.equal((await fetch(first)).status, 200, "the permalink page stays");
    });

    it("sends the new profile to followers as Update(Person)", async () => {
      const png = Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        "base64",
      );
      const saved = await admin.upload(
        "/admin/settings",
        { display_name: "Le sblog", summary: "Des liens, des avis.", default_visibility: "public", language: "fr", field_name_0: "Blog", field_value_0: `${origin}/` },
        { avatar: new File([png], "avatar.png", { type: "image/png" }) },
      );
      assert.equal(saved.status, 303);
      const update = await waitFor("the Update(Person)", async () =>
        (await received()).find((a) => a.type === "Update" && a.json.object?.type === "Person"),
      );
      assert.equal(update.json.object.name, "Le sblog");
      assert.equal(update.signature, "draft-cavage");
      const icon = update.json.object.icon.url;
      assert.match(icon, new RegExp(`^${origin}/media/`));
      const image = await fetch(icon);
      assert.equal(image.headers.get("content-type"), "image/png");
      // Stored as decoded and written again, without metadata: the same picture, not the same bytes.
      const stored = await sharp(Buffer.from(await image.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      const sent = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([stored.info.width, stored.info.height, stored.data], [sent.info.width, sent.info.height, sent.data]);
      const field = [update.json.object.attachment].flat()[0];
      assert.equal(field.name, "Blog");
      assert.match(field.value, /rel="me/);
    });
  });
}
