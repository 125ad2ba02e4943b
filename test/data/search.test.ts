// Search on the French sample corpus: stemming, accents, ranking, phrases, exclusions, #tags,
// excerpts, visibility and paging, on PGlite and (with TEST_DATABASE_URL) PostgreSQL.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import type { Visibility } from "../../db/schema.ts";
import { parseSearchQuery, searchPosts } from "../../src/data/search.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

describe("parseSearchQuery", () => {
  it("splits #tags, normalized (case kept, matched in any case), from words, phrases and exclusions", () => {
    assert.deepEqual(parseSearchQuery("#Tech rust #web  async"), { text: "rust async", tags: ["Tech", "web"] });
    assert.deepEqual(parseSearchQuery('"un mot" -exclu'), { text: '"un mot" -exclu', tags: [] });
    assert.deepEqual(parseSearchQuery("#Économie"), { text: "", tags: ["Économie"] });
    assert.deepEqual(parseSearchQuery("#tech #TECH"), { text: "", tags: ["tech"] });
  });

  it("leaves # inside phrases and words, and a lone #, to the words", () => {
    assert.deepEqual(parseSearchQuery('"le #IA du jour" c# #'), { text: '"le #IA du jour" c# #', tags: [] });
    assert.deepEqual(parseSearchQuery('-"sans #tag" #avec'), { text: '-"sans #tag"', tags: ["avec"] });
  });
});

const corpusLines = (await readFile(new URL("../fixtures/sblog-posts.txt", import.meta.url), "utf8"))
  .split("\n")
  .filter((line) => line.trim() !== "");
const corpusId = (i: number) => `corpus${String(i).padStart(3, "0")}`;
const corpusIds = (pattern: RegExp) => corpusLines.flatMap((line, i) => (pattern.test(line) ? [corpusId(i)] : []));
const corpusTags = (i: number) => (i % 3 === 0 ? ["politique"] : i % 3 === 1 ? ["tech"] : []);

for (const backend of backends()) {
  describe(`search (${backend})`, () => {
    let database: TestDatabase;
    const PUBLIC = ["public", "unlisted"] as const;
    const find = (query: string, options: { visibilities?: readonly Visibility[]; limit?: number; offset?: number; language?: string } = {}) =>
      searchPosts(database.db, {
        query,
        visibilities: options.visibilities ?? PUBLIC,
        limit: options.limit ?? 100,
        offset: options.offset,
        language: options.language ?? "fr",
      });
    const ids = async (query: string, language?: string) => (await find(query, { language })).results.map((result) => result.post.id);

    before(async () => {
      database = await createTestDatabase(backend);
      // Each line of the corpus a post, an hour apart, the first 80 characters as its title.
      await database.db
        .insertInto("posts")
        .values(
          corpusLines.map((line, i) => ({
            id: corpusId(i),
            title: line.slice(0, 80),
            comment: line,
            tags: corpusTags(i),
            visibility: "public" as const,
            language: "fr",
            published_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
          })),
        )
        .execute();
      const day = (n: number) => new Date(Date.UTC(2026, 1, n));
      await database.db
        .insertInto("posts")
        .values([
          { id: "ecole001", title: "École ouverte", comment: "Une rentrée scolaire.", tags: ["éducation"], visibility: "public", language: "fr", published_at: day(1) },
          { id: "comment1", title: "Un lien sans rapport", comment: "Il parle de la grève des cheminots.", visibility: "public", language: "fr", published_at: day(2) },
          { id: "title001", title: "La grève générale", comment: "Rien d'autre.", visibility: "public", language: "fr", published_at: day(1) },
          { id: "english1", title: "Running a server", comment: "Notes about servers that keep running.", visibility: "public", language: "en", published_at: day(3) },
          { id: "private1", title: "Grève secrète", comment: "Privée.", visibility: "private", language: "fr", published_at: day(4) },
          { id: "deleted1", title: "Grève effacée", comment: "Supprimée.", visibility: "public", language: "fr", published_at: day(4), deleted_at: day(5) },
          {
            id: "hostile1",
            title: "Script",
            comment: `<script>alert('grève')</script> une grève <b>grasse</b> & <img src=x onerror="alert(1)"> fin`,
            visibility: "public",
            language: "fr",
            published_at: day(5),
          },
          { id: "notitle1", title: "Kazoo sans commentaire", comment: "", visibility: "public", language: "fr", published_at: day(6) },
          { id: "numeric1", title: "Services", comment: "Les services numériques de la tech.", tags: ["tech", "politique"], visibility: "public", language: "fr", published_at: day(7) },
          { id: "numeric2", title: "Outils", comment: "Une tech sans écran.", tags: ["tech"], visibility: "public", language: "fr", published_at: day(8) },
          {
            id: "linkonly",
            url: "https://www.example.org/pixels/hebergement-mutualise?ref=accueil",
            title: "Un lien",
            comment: "Sans mots communs.",
            visibility: "public",
            language: "fr",
            published_at: day(9),
          },
          { id: "twin0001", title: "Jumeaux identiques", comment: "Le même texte.", visibility: "public", language: "fr", published_at: day(10) },
          { id: "twin0002", title: "Jumeaux identiques", comment: "Le même texte.", visibility: "public", language: "fr", published_at: day(11) },
        ])
        .execute();
    });
    after(() => database.drop());

    it("finds inflected forms, with or without accents and capitals", async () => {
      const expected = corpusIds(/pédopornographiques/i);
      assert.ok(expected.length > 0);
      for (const query of ["pédopornographie", "pedopornographie", "PÉDOPORNOGRAPHIE", "pédopornographique"]) {
        const found = await ids(query);
        for (const id of expected) assert.ok(found.includes(id), `${query} misses ${id}`);
      }
      for (const query of ["ecole", "École", "ÉCOLE", "écoles"]) assert.deepEqual(await ids(query), ["ecole001"], query);
    });

    it("stems words: a verb finds its nouns and other forms", async () => {
      const found = await ids("halluciner");
      for (const id of corpusIds(/hallucinations|hallucine\b/i)) assert.ok(found.includes(id), `halluciner misses ${id}`);
      assert.deepEqual(await ids("cheminot"), ["comment1"]);
    });

    it("ranks a title match above a commentary match, then the newest first", async () => {
      const found = await find("grève");
      assert.equal(found.results[0]?.post.id, "title001");
      assert.ok(found.results.some((result) => result.post.id === "comment1"));
      const title = found.results.find((result) => result.post.id === "title001");
      const comment = found.results.find((result) => result.post.id === "comment1");
      assert.ok(title && comment && title.rank > comment.rank);
      assert.deepEqual(await ids("jumeaux"), ["twin0002", "twin0001"]);
    });

    it("ranks only the newest matches, or as many as the page needs, and counts at least those", async () => {
      const all = await find("numérique");
      const newestFirst = [...all.results].sort((a, b) => b.post.published_at.getTime() - a.post.published_at.getTime() || (a.post.id < b.post.id ? 1 : -1));
      const newest = newestFirst.slice(0, 3).map((result) => result.post.id);
      assert.ok(!newest.includes(all.results[0]!.post.id), "the best match is an older one");
      const options = { query: "numérique", visibilities: PUBLIC, language: "fr", rankedCandidates: 3 };
      const capped = await searchPosts(database.db, { ...options, limit: 2 });
      // Found among the newest posts, the matches are counted there: at least the candidates.
      assert.equal(capped.totalIsLowerBound, true);
      assert.ok(capped.total >= 3 && capped.total <= all.total, `${capped.total} of ${all.total}`);
      assert.equal(all.totalIsLowerBound, undefined);
      assert.deepEqual(capped.results.map((result) => result.post.id), all.results.map((result) => result.post.id).filter((id) => newest.includes(id)).slice(0, 2));
      const deeper = await searchPosts(database.db, { ...options, limit: 2, offset: all.total - 2 });
      assert.deepEqual(deeper.results.map((result) => result.post.id), all.results.slice(-2).map((result) => result.post.id));
    });

    it("answers a word found in most posts with the best of its newest matches, in order, and the next page", async () => {
      // Newer than every other post: 60 posts with the word, one in three in its title too.
      const posts = Array.from({ length: 60 }, (_, i) => ({
        id: `common${String(i).padStart(2, "0")}`,
        title: i % 3 === 0 ? `Zygomorphe numéro ${i}` : `Fleur numéro ${i}`,
        comment: `Une fleur zygomorphe, la ${i}e.`,
        visibility: "public" as const,
        language: "fr",
        published_at: new Date(Date.UTC(2027, 0, 1) + i * 60_000),
      }));
      await database.db.insertInto("posts").values(posts).execute();
      try {
        const all = await find("zygomorphe", { limit: 100 });
        assert.equal(all.total, 60);
        const options = { query: "zygomorphe", visibilities: PUBLIC, language: "fr", rankedCandidates: 6 };
        const first = await searchPosts(database.db, { ...options, limit: 3 });
        // The 6 newest: common59 … common54, of which common57 and common54 have the word in their title.
        assert.deepEqual(first.results.map((result) => result.post.id), ["common57", "common54", "common59"]);
        assert.ok(first.results[0]!.rank > first.results[2]!.rank);
        assert.equal(first.totalIsLowerBound, true);
        assert.ok(first.total >= 6 && first.total <= 60);
        const exact = await searchPosts(database.db, { ...options, limit: 3, exactTotal: true });
        assert.equal(exact.total, 60);
        assert.equal(exact.totalIsLowerBound, undefined);
        assert.deepEqual(exact.results, first.results);
        const second = await searchPosts(database.db, { ...options, limit: 3, offset: 3 });
        assert.deepEqual(second.results.map((result) => result.post.id), ["common58", "common56", "common55"]);
        const last = await searchPosts(database.db, { ...options, limit: 3, offset: 57 });
        assert.deepEqual(last.results.map((result) => result.post.id), all.results.slice(57).map((result) => result.post.id));
      } finally {
        await database.db.deleteFrom("posts").where("id", "like", "common%").execute();
      }
    });

    it("looks for a less frequent word in a wider window, and among all posts when that window holds too few", async () => {
      // 80 posts newer than every other, fleur79 the newest, and one older than every other.
      // With 5 candidates, the first window is the 20 newest posts, where each word is in 2; the
      // second, 5 × 16 = 80 posts, is the 80 new ones: "orchidée" is in 5 of them, "tulipe" in 2.
      const inWords = (i: number) => [[79, 70, 50, 45, 30].includes(i) ? "orchidée" : "", [79, 70].includes(i) ? "tulipe" : ""].join(" ");
      const posts = Array.from({ length: 80 }, (_, i) => ({
        id: `fleur${String(i).padStart(2, "0")}`,
        title: `Fleur numéro ${i}`,
        comment: `Une fleur ${inWords(i)}, la ${i}e.`,
        visibility: "public" as const,
        language: "fr",
        published_at: new Date(Date.UTC(2028, 0, 1) + i * 60_000),
      }));
      const oldest = { id: "fleurold", title: "Vieille fleur", comment: "Orchidée et tulipe.", visibility: "public" as const, language: "fr", published_at: new Date(Date.UTC(2000, 0, 1)) };
      await database.db.insertInto("posts").values([...posts, oldest]).execute();
      try {
        const options = { visibilities: PUBLIC, language: "fr", rankedCandidates: 5, limit: 3 };
        const orchid = await searchPosts(database.db, { ...options, query: "orchidée" });
        assert.equal(orchid.total, 5);
        assert.equal(orchid.totalIsLowerBound, true);
        const orchidExact = await searchPosts(database.db, { ...options, query: "orchidée", exactTotal: true });
        assert.equal(orchidExact.total, 6);
        assert.deepEqual(orchid.results, orchidExact.results);
        const tulip = await searchPosts(database.db, { ...options, query: "tulipe" });
        assert.equal(tulip.total, 3);
        assert.equal(tulip.totalIsLowerBound, undefined);
        assert.deepEqual(tulip.results.map((result) => result.post.id).sort(), ["fleur70", "fleur79", "fleurold"]);
      } finally {
        await database.db.deleteFrom("posts").where("id", "like", "fleur%").execute();
      }
    });

    it("leaves out private and deleted posts unless asked for private ones", async () => {
      const visitor = await ids("grève");
      assert.ok(!visitor.includes("private1") && !visitor.includes("deleted1"));
      const owner = await find("grève", { visibilities: ["public", "unlisted", "followers", "private"] });
      assert.ok(owner.results.some((result) => result.post.id === "private1"));
      assert.ok(!owner.results.some((result) => result.post.id === "deleted1"));
    });

    it("lists a #tag alone newest first, and combines tags and words", async () => {
      const tagged = await find("#politique");
      const expected = corpusLines.filter((_, i) => corpusTags(i).includes("politique")).length + 1;
      assert.equal(tagged.total, expected);
      assert.equal(tagged.results.length, expected);
      assert.ok(tagged.results.every((result) => result.post.tags.includes("politique") && result.excerpt === ""));
      const dates = tagged.results.map((result) => result.post.published_at.getTime());
      assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
      assert.deepEqual(await ids("#tech #Politique"), ["numeric1"]);
      const both = await find("#tech capgemini");
      assert.ok(both.total > 0);
      assert.ok(both.results.every((result) => result.post.tags.includes("tech") && /capgemini/i.test(result.post.comment)));
      assert.ok((await ids("éducation")).includes("ecole001"), "tags are searched as words too");
    });

    it("excludes -words and -\"phrases\", in every language the posts use", async () => {
      const capgemini = corpusIds(/capgemini/i);
      assert.deepEqual((await ids("capgemini")).sort(), capgemini);
      const withoutMigrants = capgemini.filter((id) => !corpusIds(/migrant/i).includes(id));
      assert.ok(withoutMigrants.length > 0 && withoutMigrants.length < capgemini.length);
      assert.deepEqual(await ids("capgemini -migrant"), withoutMigrants);
      // An English post is there, so the words are analyzed in English too; "numérique" must
      // still exclude the French post whatever the English stemmer makes of it.
      assert.ok((await ids("tech")).includes("numeric1"));
      const tech = await ids("tech -numérique");
      assert.ok(tech.includes("numeric2") && !tech.includes("numeric1"), tech.join(" "));
      const phrase = await ids('capgemini -"police fédérale"');
      assert.ok(phrase.length > 0 && !phrase.some((id) => corpusIds(/police fédérale/).includes(id)));
      const taggedWithout = await ids("#tech -numérique");
      assert.ok(taggedWithout.includes("numeric2") && !taggedWithout.includes("numeric1"));
    });

    it("matches quoted phrases in order", async () => {
      const phrase = await ids('"police fédérale"');
      assert.deepEqual(phrase, corpusIds(/police fédérale/));
      assert.deepEqual(await ids('"fédérale police"'), []);
    });

    it("finds words of the link's host and path, not its scheme", async () => {
      for (const query of ["pixels", "hébergement", "mutualisé", "example"]) assert.deepEqual(await ids(query), ["linkonly"], query);
      assert.deepEqual(await ids("https"), []);
      assert.deepEqual(await ids("www"), []);
    });

    it("highlights matches in excerpts where every other tag is escaped", async () => {
      const { results } = await find("grève");
      const hostile = results.find((result) => result.post.id === "hostile1");
      assert.ok(hostile);
      assert.match(hostile.excerpt, /<mark>grève<\/mark>/);
      assert.match(hostile.excerpt, /&lt;\/script&gt;/);
      assert.match(hostile.excerpt, /&amp;/);
      assert.doesNotMatch(hostile.excerpt.replaceAll("<mark>", "").replaceAll("</mark>", ""), /</);
      const titleOnly = await find("kazoos");
      assert.deepEqual(titleOnly.results.map((result) => result.excerpt), ["<mark>Kazoo</mark> sans commentaire"]);
      for (const result of (await find("pedopornographie")).results) assert.match(result.excerpt, /<mark>pédopornographi/i);
    });

    it("pages results with a correct total", async () => {
      const all = await find("#politique");
      const first = await find("#politique", { limit: 10 });
      const third = await find("#politique", { limit: 10, offset: 20 });
      assert.equal(first.total, all.total);
      assert.equal(third.total, all.total);
      assert.deepEqual(first.results.map((r) => r.post.id), all.results.slice(0, 10).map((r) => r.post.id));
      assert.deepEqual(third.results.map((r) => r.post.id), all.results.slice(20, 30).map((r) => r.post.id));
      const beyond = await find("#politique", { limit: 10, offset: 1000 });
      assert.deepEqual(beyond, { total: all.total, results: [] });
      const words = await find("numérique", { limit: 3, offset: 3 });
      assert.equal(words.results.length, 3);
      assert.equal(words.total, (await find("numérique")).total);
    });

    it("stems English posts in English", async () => {
      assert.deepEqual(await ids("running", "en"), ["english1"]);
      assert.deepEqual(await ids("run", "en"), ["english1"]);
      // On a French blog too: the words are also analyzed in each language the posts use.
      assert.deepEqual(await ids("runs"), ["english1"]);
    });

    it("answers nothing for empty or stop-word-only queries", async () => {
      for (const query of ["", "   ", "de la du", "#", "-", "…"]) assert.deepEqual(await find(query), { total: 0, results: [] }, query);
    });

    it("keeps the index up to date on edits", async () => {
      await database.db.updateTable("posts").set({ comment: "Maintenant il est question de baleines." }).where("id", "=", "comment1").execute();
      assert.ok((await ids("baleine")).includes("comment1"));
      assert.ok(!(await ids("cheminots")).includes("comment1"));
      await database.db.updateTable("posts").set({ tags: ["cétacés"] }).where("id", "=", "comment1").execute();
      assert.deepEqual(await ids("cetace"), ["comment1"]);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from posts where search is null`.execute(database.db);
      assert.equal(rows[0]?.n, 0);
    });
  });
}
