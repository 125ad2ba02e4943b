// Tag actors' handles: folding to what Mastodon accepts in a username, and the collision rule
// (the owner's username always wins, the most used tag keeps a shared handle, and an assigned
// handle never changes). Only tags of public posts become actors.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { assignTagHandles, foldTagHandle } from "../../src/content/tag-handles.ts";
import { insertAccount } from "../../src/data/account.ts";
import { createPost, type PublishingDeps } from "../../src/services/publishing.ts";
import { assignTagActors, findTagActor, setTagActorsOn, setTagOn, tagActorsOf } from "../../src/services/tag-actors.ts";
import { listTagActors } from "../../src/data/tag-actors.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

describe("tag handles", () => {
  it("folds a tag to lowercase ASCII letters, digits and underscores", () => {
    assert.equal(foldTagHandle("numérique"), "numerique");
    assert.equal(foldTagHandle("réseaux-sociaux"), "reseaux_sociaux");
    assert.equal(foldTagHandle("IA"), "ia");
    assert.equal(foldTagHandle("c++"), "c");
    assert.equal(foldTagHandle("logiciel libre / open source"), "logiciel_libre_open_source");
    assert.equal(foldTagHandle("日本"), "tag");
    assert.equal(foldTagHandle("a".repeat(40)).length, 30);
  });

  it("gives a shared handle to the first (most used) tag and numbered ones to the others", () => {
    const handles = assignTagHandles(["réseaux-sociaux", "reseaux_sociaux", "owner", "日本", "中国"], ["owner"]);
    assert.deepEqual(Object.fromEntries(handles), {
      "réseaux-sociaux": "reseaux_sociaux",
      reseaux_sociaux: "reseaux_sociaux_2",
      owner: "owner_2",
      日本: "tag",
      中国: "tag_2",
    });
  });
});

for (const backend of backends()) {
  describe(`tag actors' handles in the database (${backend})`, () => {
    let database: TestDatabase;
    let deps: PublishingDeps;
    const post = (tags: string, visibility: "public" | "followers" | "private" | "unlisted" = "public") =>
      createPost(deps, { title: `about ${tags}`, url: `https://example.org/${crypto.randomUUID()}`, tags, visibility });
    before(async () => {
      database = await createTestDatabase(backend);
      const noop = async () => {};
      deps = { db: database.db, federation: { published: noop, edited: noop, withdrawn: noop } };
      await insertAccount(database.db, { username: "owner", password_hash: "x", api_secret: "y".repeat(20) });
      await post("reseaux_sociaux");
      await post("réseaux-sociaux, owner");
      await post("réseaux-sociaux");
      await post("secret", "private");
      await post("abonnes", "followers");
      await post("discret", "unlisted");
    });
    after(async () => await database?.drop());

    it("assigns handles once, most used first, never the owner's", async () => {
      await assignTagActors(database.db);
      const assigned = Object.fromEntries((await listTagActors(database.db)).map((row) => [row.tag, row.handle]));
      assert.deepEqual(assigned, { "réseaux-sociaux": "reseaux_sociaux", reseaux_sociaux: "reseaux_sociaux_2", owner: "owner_2" });
      assert.equal(await findTagActor(database.db, "owner"), undefined);
      assert.equal((await findTagActor(database.db, "owner_2"))?.row.tag, "owner");
    });

    it("keeps a handle once assigned, however the counts change", async () => {
      for (let i = 0; i < 3; i++) await post("reseaux_sociaux");
      await post("numérique");
      await assignTagActors(database.db);
      assert.equal((await findTagActor(database.db, "reseaux_sociaux"))?.row.tag, "réseaux-sociaux");
      assert.equal((await findTagActor(database.db, "reseaux_sociaux_2"))?.row.tag, "reseaux_sociaux");
      assert.equal((await findTagActor(database.db, "numerique"))?.row.tag, "numérique");
    });

    it("makes no actor of tags that only private, followers-only or unlisted posts carry", async () => {
      for (const handle of ["secret", "abonnes", "discret"]) assert.equal(await findTagActor(database.db, handle), undefined, handle);
      assert.deepEqual(await tagActorsOf(database.db, ["secret"]), []);
    });

    it("gives the spellings of one tag one actor, whatever case a post uses", async () => {
      await post("IA");
      await post("IA");
      await post("ia");
      await assignTagActors(database.db);
      const actors = (await listTagActors(database.db)).filter((row) => row.handle.startsWith("ia"));
      assert.deepEqual(actors.map((row) => [row.tag, row.handle]), [["IA", "ia"]]);
      for (const tags of [["IA"], ["ia"], ["Ia", "iA"]]) {
        assert.deepEqual((await tagActorsOf(database.db, tags)).map((row) => row.handle), ["ia"], tags.join());
      }
    });

    it("has no actors while the feature or the tag is turned off", async () => {
      await setTagOn(database.db, "numerique", false);
      assert.equal(await findTagActor(database.db, "numerique"), undefined);
      assert.deepEqual((await tagActorsOf(database.db, ["numérique", "owner"])).map((row) => row.handle), ["owner_2"]);
      await setTagOn(database.db, "numerique", true);
      await setTagActorsOn(database.db, false);
      assert.equal(await findTagActor(database.db, "numerique"), undefined);
      assert.deepEqual(await tagActorsOf(database.db, ["numérique"]), []);
      await setTagActorsOn(database.db, true);
      assert.equal((await findTagActor(database.db, "numerique"))?.row.handle, "numerique");
    });
  });
}
