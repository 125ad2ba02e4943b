// Search on the French sample corpus: stemming, accents, ranking, phrases, exclusions, #tags.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { parseSearchQuery, searchPosts } from "../../src/data/search.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

describe("parseSearchQuery", () => {
  it("splits #tags from words", () => {
    assert.deepEqual(parseSearchQuery("#Tech rust #web  async"), { text: "rust async", tags: ["tech", "web"] });
    assert.deepEqual(parseSearchQuery('"un mot" -exclu'), { text: '"un mot" -exclu', tags: [] });
    assert.deepEqual(parseSearchQuery("#économie"), { text: "", tags: ["économie"] });
  });
});

for (const backend of backends()) {
  describe(`search (${backend})`, () => {
    let database: TestDatabase;
    const PUBLIC = ["public", "unlisted"] as const;
    const find = (query: string, options: { visibilities?: readonly ("public" | "unlisted" | "followers" | "private")[]; limit?: number; offset?: number } = {}) =>
      searchPosts(database.db, { query, visibilities: options.visibilities ?? PUBLIC, limit: options.limit ?? 20, offset: options.offset, language: "fr" });
    const titles = async (query: string) => (await find(query)).results.map((result) => result.post.title);

    before(async () => {
      database = await createTestDatabase(backend);
      const lines = (await readFile(new URL("../fixtures/sblog-posts.txt", import.meta.url), "utf8")).split("\n").filter((line) => line.trim() !== "");
      const rows = lines.map((line, i) => ({
        id: `corpus${String(i).padStart(3, "0")}`,
        title: line.length > 80 ? `${line.slice(0, 79)}…` : line,
        comment: line,
        tags: i % 3 === 0 ? ["politique"] : i % 3 === 1 ? ["tech"] : [],
        visibility: "public" as const,
        language: "fr",
        published_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
      }));
      await database.db.insertInto("posts").values(rows).execute();
      await database.db.insertInto("posts").values([
        { id: "ecole001", title: "École ouverte", comment: "Une rentrée scolaire.", tags: ["éducation"], visibility: "public", language: "fr", published_at: new Date() },
        { id: "comment1", title: "Un lien sans rapport", comment: "Il parle de la grève des cheminots.", visibility: "public", language: "fr", published_at: new Date() },
        { id: "title001", title: "La grève générale", comment: "Rien d'autre.", visibility: "public", language: "fr", published_at: new Date(Date.UTC(2020, 0, 1)) },
        { id: "english1", title: "Running a server", comment: "Notes about servers running Node.", visibility: "public", language: "en", published_at: new Date() },
        { id: "private1", title: "Grève secrète", comment: "Privé.", visibility: "private", language: "fr", published_at: new Date() },
        { id: "deleted1", title: "Grève effacée", comment: "Supprimé.", visibility: "public", language: "fr", published_at: new Date(), deleted_at: new Date() },
        { id: "hostile1", title: "Script", comment: "<script>alert('grève')</script> une grève <b>grasse</b>", visibility: "public", language: "fr", published_at: new Date() },
      ]).execute();
    });
    after(() => database.drop());

    it("finds inflected forms, with or without accents", async () => {
      for (const query of ["pédopornographie", "pedopornographie", "PÉDOPORNOGRAPHIE"]) {
        const found = await titles(query);
        assert.ok(found.some((title) => title.startsWith("Avec l'imbrication")), `${query}: ${found.join(" | ")}`);
      }
      assert.deepEqual(await titles("ecole"), ["École ouverte"]);
      assert.deepEqual(await titles("écoles"), ["École ouverte"]);
    });

    it("ranks a title match above a commentary match", async () => {
      const found = await titles("grève");
      assert.equal(found[0], "La grève générale");
      assert.ok(found.includes("Un lien sans rapport"));
    });

    it("leaves out private and deleted posts unless asked for private ones", async () => {
      assert.ok(!(await titles("grève")).some((title) => /secrète|effacée/.test(title)));
      const owner = await find("grève", { visibilities: ["public", "unlisted", "followers", "private"] });
      assert.ok(owner.results.some((result) => result.post.title === "Grève secrète"));
      assert.ok(!owner.results.some((result) => result.post.title === "Grève effacée"));
    });

    it("filters by #tag, alone or with words, and excludes -words", async () => {
      const tagged = await find("#politique");
      assert.equal(tagged.total, 27);
      assert.ok(tagged.results.every((result) => result.post.tags.includes("politique")));
      const both = await find("#tech capgemini");
      assert.ok(both.results.length > 0 && both.results.every((result) => result.post.tags.includes("tech") && /capgemini/i.test(result.post.comment)));
      const capgemini = await find("capgemini");
      const excluded = await find("capgemini -ICE");
      assert.ok(excluded.total < capgemini.total);
      assert.ok(excluded.results.every((result) => !/\bICE\b/.test(result.post.comment)));
    });

    it("matches quoted phrases", async () => {
      const phrase = await titles('"police fédérale"');
      assert.ok(phrase.some((title) => title.includes("Capgemini")), phrase.join(" | "));
      assert.deepEqual(await titles('"fédérale police"'), []);
    });

    it("highlights matches in safe excerpts", async () => {
      const { results } = await find("grève");
      const hostile = results.find((result) => result.post.id === "hostile1");
      assert.ok(hostile);
      assert.match(hostile.excerpt, /<mark>grève<\/mark>/);
      assert.doesNotMatch(hostile.excerpt.replaceAll("<mark>", "").replaceAll("</mark>", ""), /</);
    });

    it("pages results with a correct total", async () => {
      const all = await find("#politique", { limit: 100 });
      const first = await find("#politique", { limit: 10 });
      const third = await find("#politique", { limit: 10, offset: 20 });
      assert.equal(first.total, all.total);
      assert.deepEqual(third.results.map((r) => r.post.id), all.results.slice(20, 30).map((r) => r.post.id));
    });

    it("stems English posts in English", async () => {
      assert.ok((await titles("run")).includes("Running a server"));
    });

    it("keeps the index up to date on edits", async () => {
      await database.db.updateTable("posts").set({ comment: "Maintenant il est question de baleines." }).where("id", "=", "comment1").execute();
      assert.ok((await titles("baleine")).includes("Un lien sans rapport"));
      assert.ok(!(await titles("cheminots")).includes("Un lien sans rapport"));
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from posts where search is null`.execute(database.db);
      assert.equal(rows[0]?.n, 0);
    });
  });
}
