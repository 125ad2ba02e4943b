// What a commentary's mentions, hashtags and language make of the Note: Mention and Hashtag tags,
// mentioned accounts in its audience, `contentMap` in the detected language, French stemming.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import type { ResolvedMention } from "../../src/content/index.ts";
import { InProcessMessageQueue, MemoryKvStore } from "@fedify/fedify";
import { getPost } from "../../src/data/posts.ts";
import { createFederation } from "../../src/federation/index.ts";
import { buildNote } from "../../src/federation/note.ts";
import { signShaarliToken } from "../../src/web/api/jwt.ts";
import { createPost, editPost, type PostFederation, type PublishingDeps } from "../../src/services/publishing.ts";
import { removeTag, renameTag } from "../../src/services/tag-renaming.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const API_SECRET = "a secret for the shaarli api";

const alice: ResolvedMention = {
  handle: "@alice@peer.example",
  actorId: "https://peer.example/users/alice",
  profileUrl: "https://peer.example/@alice",
  inbox: "https://peer.example/users/alice/inbox",
  sharedInbox: "https://peer.example/inbox",
};

for (const backend of backends()) {
  describe(`commentary in the Note (${backend})`, () => {
    let glose: TestGlose;
    let deps: PublishingDeps;
    const asked: string[][] = [];
    before(async () => {
      glose = await startTestGlose(backend, { API_SECRET });
      deps = {
        db: glose.database.db,
        federation: unsent,
        origin: glose.origin,
        resolveMentions: async (handles) => {
          asked.push([...handles]);
          if (handles.some((handle) => handle.startsWith("@boom@"))) throw new Error("network down");
          return handles.some((handle) => handle.toLowerCase() === alice.handle) ? [alice] : [];
        },
      };
    });
    after(() => glose.destroy());

    const note = async (id: string) => {
      const response = await fetch(`${glose.origin}/p/${id}`, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(response.status, 200);
      return (await response.json()) as any;
    };

    it("makes a resolved handle a Mention in tag, cc and content, and an inline #tag a Hashtag", async () => {
      const result = await createPost(deps, {
        url: "https://example.org/article",
        title: "Un article",
        comment: "Merci @alice@peer.example pour ce lien sur le #numérique. Et @nobody@peer.example ?",
        tags: "web",
        language: "fr",
      });
      assert.ok(result.ok);
      assert.deepEqual(asked.at(-1), ["@alice@peer.example", "@nobody@peer.example"]);
      assert.deepEqual(result.post.tags, ["web", "numérique"]);
      assert.deepEqual(result.post.mentions, [alice]);

      const json = await note(result.post.id);
      const tags = [json.tag].flat();
      assert.deepEqual(tags.find((tag: any) => tag.type === "Mention"), { type: "Mention", href: alice.actorId, name: alice.handle });
      assert.deepEqual(
        tags.filter((tag: any) => tag.type === "Hashtag").map((tag: any) => [tag.name, tag.href]),
        [
          ["#web", `${glose.origin}/tags/web`],
          ["#numérique", `${glose.origin}/tags/num%C3%A9rique`],
        ],
      );
      assert.deepEqual([json.cc].flat(), [`${glose.origin}/users/${OWNER}/followers`, alice.actorId]);
      assert.ok(
        json.content.includes(
          'Merci <span class="h-card" translate="no"><a href="https://peer.example/@alice" class="u-url mention">@<span>alice</span></a></span> pour ce lien sur le ' +
            `<a href="${glose.origin}/tags/num%C3%A9rique" class="mention hashtag" rel="tag">#<span>numérique</span></a>. Et @nobody@peer.example\u202F?`,
        ),
        json.content,
      );
      assert.doesNotMatch(json.content, /mailto:/);
      // The shared link stays the first anchor, for Mastodon's card; #numérique is not repeated.
      assert.match(json.content, /^<p><a href="https:\/\/example\.org\/article">/);
      assert.equal(json.content.match(/#<span>numérique<\/span>/g)?.length, 1);
    });

    it("addresses a followers-only post to the mentioned account too", async () => {
      const result = await createPost(deps, { title: "Entre nous", comment: "@alice@peer.example regarde", visibility: "followers", language: "fr" });
      assert.ok(result.ok);
      // The Note as Create, Update and Delete carry it (who may fetch it is another matter).
      const federation = createFederation({ config: glose.config, kv: new MemoryKvStore(), queue: new InProcessMessageQueue() });
      const ctx = federation.createContext(new URL(glose.origin), { db: glose.database.db, config: glose.config });
      const built = buildNote(ctx, (await getPost(glose.database.db, result.post.id))!, { username: OWNER, quote_policy: "automatic" });
      assert.deepEqual(built.toIds.map(String), [`${glose.origin}/users/${OWNER}/followers`]);
      assert.deepEqual(built.ccIds.map(String), [alice.actorId]);
    });

    it("keeps no silent mention of a post never sent", async () => {
      const created = await createPost(deps, { title: "Brouillon", comment: "Pour @alice@peer.example", visibility: "private", language: "fr" });
      assert.ok(created.ok);
      const edited = await editPost(deps, created.post.id, { comment: "Pour personne" });
      assert.ok(edited.ok);
      assert.deepEqual(edited.post.mentions, []);
    });

    it("renames and removes a tag typed in the commentary", async () => {
      const created = await createPost(deps, { title: "Étiquettes", comment: "Sur le #Brouillard.", language: "fr" });
      assert.ok(created.ok);
      assert.deepEqual(created.post.tags, ["Brouillard"]);
      assert.ok((await renameTag(deps, "brouillard", "brume")).ok);
      let post = await getPost(glose.database.db, created.post.id);
      assert.deepEqual([post?.tags, post?.comment], [["brume"], "Sur le #brume."]);
      assert.ok((await removeTag(deps, "brume")).ok);
      post = await getPost(glose.database.db, created.post.id);
      assert.deepEqual([post?.tags, post?.comment], [[], "Sur le brume."]);
    });

    it("re-resolves on edit, and saves whatever the resolver does", async () => {
      const created = await createPost(deps, { title: "Avant", comment: "Pour @alice@peer.example", language: "fr" });
      assert.ok(created.ok);
      const edited = await editPost(deps, created.post.id, { comment: "Pour @boom@down.example" });
      assert.ok(edited.ok);
      // alice was sent the post: she stays a silent mention, told of edits but not shown.
      assert.deepEqual(edited.post.mentions, [{ ...alice, silent: true }]);
      assert.equal(edited.post.comment_html, "<p>Pour @boom@down.example</p>");
      const json = await note(created.post.id);
      assert.equal([json.tag ?? []].flat().filter((tag: any) => tag.type === "Mention").length, 0);
      assert.deepEqual([json.cc].flat(), [`${glose.origin}/users/${OWNER}/followers`]);
    });

    it("detects the language of a Shaarli API post: contentMap.fr and French stemming", async () => {
      const response = await fetch(`${glose.origin}/api/v1/links`, {
        method: "POST",
        headers: { Authorization: `Bearer ${signShaarliToken(API_SECRET)}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          url: "https://example.org/reseaux",
          title: "Pourquoi il ne faut pas interdire les réseaux sociaux aux adolescents",
          description: "Une réflexion intéressante sur les réseaux et la démocratie.",
        }),
      });
      assert.equal(response.status, 201);
      const { id } = (await response.json()) as { id: string };
      const post = await getPost(glose.database.db, id);
      assert.equal(post?.language, "fr");
      const json = await note(id);
      assert.equal(json.contentMap.fr, json.content);
      // French stemming, accents folded: "réseaux" is indexed as "reseau" (English would keep "reseaux").
      const { rows } = await sql<{ search: string }>`select search::text as search from posts where id = ${id}`.execute(glose.database.db);
      assert.match(rows[0]!.search, /'reseau'/);

      const english = await createPost(deps, { title: "Why I stopped using ORMs", comment: "A short read on what they hide." });
      assert.ok(english.ok);
      assert.equal(english.post.language, "en");
      const unsure = await createPost(deps, { title: "CHEH !" });
      assert.ok(unsure.ok);
      assert.equal(unsure.post.language, "en", "the owner's default language");
    });
  });
}
