// Full-text search over posts: words (stemmed, accents folded), "quoted phrases", -exclusions and
// #tag filters; ranked, with highlighted excerpts. The `search` column and the glose_* text search
// configurations come from db/migrations/2026-11-28-04-search.ts.
import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { Schema, Visibility } from "../../db/schema.ts";
import { normalizeTags } from "../content/index.ts";
import type { Db } from "./client.ts";
import { POST_COLUMNS, type PostRow } from "./posts.ts";
import { textArray } from "./sql-values.ts";
import { tagSpellings } from "./tags.ts";

export interface SearchOptions {
  readonly query: string;
  readonly visibilities: readonly Visibility[];
  readonly limit: number;
  readonly offset?: number;
  /** The blog's language (BCP 47), whose stemming applies to the words; `fr` by default. */
  readonly language?: string;
  /** How many of the newest matches are ranked; RANKED_CANDIDATES by default. */
  readonly rankedCandidates?: number;
  /** Only posts with at least one live reply (the admin's filter). */
  readonly withReplies?: boolean;
  /** Every match counted, however many (the admin's list shows its number of pages). */
  readonly exactTotal?: boolean;
}

export interface SearchResult {
  readonly post: PostRow;
  readonly rank: number;
  /** The commentary (or title) around the matches, HTML-escaped, matches in <mark>; empty without words. */
  readonly excerpt: string;
}

export interface SearchResults {
  /** Matching posts in all, whatever the page; with `totalIsLowerBound`, at least that many. */
  readonly total: number;
  /** True when a frequent word's matches were counted among the newest posts only. */
  readonly totalIsLowerBound?: boolean;
  readonly results: SearchResult[];
}

/**
 * How many matches, the newest, are ranked for a page; a page deeper than that ranks as many as
 * it needs. Ranking reads every candidate's vector: 5,568 matches took ~30 ms on PGlite.
 */
export const RANKED_CANDIDATES = 1_000;

/**
 * Matches are looked for among the newest posts first, in a window of this many times the
 * candidates needed: a word found in a quarter of the posts is settled there, and costs the same
 * over 10,000 posts or 1,000,000. A less frequent word gets a second window, sized by how often
 * it was found in the first; a rare one is looked for among all posts.
 */
const FIRST_WINDOW = 4;

const HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … "';

// A token: an optionally negated "quoted phrase" (closed or not), or a run of other characters.
const TOKENS = /-?"[^"]*"?|[^\s"]+/g;

/** Splits `#tag` filters (normalized like post tags) from the words, phrases and exclusions. */
export function parseSearchQuery(query: string): { text: string; tags: string[] } {
  const tags: string[] = [];
  const words: string[] = [];
  for (const token of query.match(TOKENS) ?? []) {
    if (/^#+[^#]/.test(token)) tags.push(token);
    else words.push(token);
  }
  return { text: words.join(" "), tags: normalizeTags(tags) };
}

/** `-word` and `-"a phrase"` apart from what must be found. */
function splitExclusions(text: string): { words: string; excluded: string[] } {
  const words: string[] = [];
  const excluded: string[] = [];
  for (const token of text.match(TOKENS) ?? []) {
    if (/^-+[^-]/.test(token)) excluded.push(token.replace(/^-+/, ""));
    else words.push(token);
  }
  return { words: words.join(" "), excluded };
}

export async function searchPosts(db: Db, options: SearchOptions): Promise<SearchResults> {
  const { text, tags } = parseSearchQuery(options.query);
  const { words, excluded } = splitExclusions(text);
  if (words === "" && excluded.length === 0 && tags.length === 0) return { total: 0, results: [] };
  const { include, exclude } =
    words === "" && excluded.length === 0
      ? { include: null, exclude: null }
      : await buildQueries(db, words, excluded, options.language ?? "fr");
  // Only stop words (or punctuation) to look for: nothing can match them.
  if (words !== "" && include === null) return { total: 0, results: [] };

  // Each #tag in any of its spellings (IA, ia).
  const spellings = await Promise.all(tags.map((tag) => tagSpellings(db, tag)));
  const tsquery = include === null ? null : sql`${include}::tsquery`;
  // The matches among the posts published since `since` (null: all).
  const filtered = (since: Date | null) =>
    db
      .selectFrom("posts")
      .where("deleted_at", "is", null)
      .where("visibility", "in", [...options.visibilities])
      .$if(tags.length > 0, (q) => q.where((eb) => eb.and(spellings.map((anyOf) => eb("tags", "&&", textArray(anyOf))))))
      .$if(tsquery !== null, (q) => q.where(sql<boolean>`search @@ ${tsquery}`))
      .$if(options.withReplies === true, (q) => q.where((eb) => eb.exists(liveReplies(db))))
      .$if(since !== null, (q) => q.where("published_at", ">=", since!))
      // Over all posts, excluded posts are found through the index too: `not (search @@ …)` would
      // read the vector of every match. Among the newest posts, the matches are few, and the
      // index would list every post of a frequent excluded word.
      .$if(exclude !== null && since === null, (q) =>
        q.where("id", "not in", db.selectFrom("posts as excluded").select("excluded.id").where(sql<boolean>`excluded.search @@ ${exclude}::tsquery`)),
      )
      .$if(exclude !== null && since !== null, (q) => q.where(sql<boolean>`not (search @@ ${exclude}::tsquery)`));
  const page = { limit: options.limit, offset: options.offset ?? 0 };
  const need = Math.max(options.rankedCandidates ?? RANKED_CANDIDATES, page.offset + page.limit);
  const exact = options.exactTotal === true;
  if (tsquery === null) return await pageOf(db, filtered(null), null, page, need, exact);
  // The posts published since a date are a prefix of the newest-first order: once they hold the
  // candidates needed, those are the newest matches of all. Counting every match of a frequent
  // word would read most posts; it is counted among these newest posts only.
  if (exact) return await pageOf(db, filtered(null), tsquery, page, need, true);
  const first = await publishedAtOfNewest(db, need * FIRST_WINDOW);
  if (first === null) return await pageOf(db, filtered(null), tsquery, page, need, false);
  // Counted first, up to what is needed: ranking a window that holds too few would be lost.
  const found = await countUpTo(db, filtered(first), need);
  if (found >= need) return { ...(await pageOf(db, filtered(first), tsquery, page, need, false)), totalIsLowerBound: true };
  // A rare word: counting all its matches is cheap. Else a window that should hold enough.
  const second = found < need / 16 ? null : await publishedAtOfNewest(db, need * 2 ** Math.ceil(Math.log2((FIRST_WINDOW * need * 1.25) / found)));
  if (second !== null) {
    // Ranked without counting first: it holds enough but for a rare spread of the matches, and
    // the page counts the matches in it anyway.
    const inWindow = await pageOf(db, filtered(second), tsquery, page, need, false);
    if (inWindow.total >= need) return { ...inWindow, totalIsLowerBound: true };
  }
  return await pageOf(db, filtered(null), tsquery, page, need, false);
}

/**
 * When the `count`-th newest post was published; null when there are no more posts than that.
 * Kept a while: any date is a correct window start (what follows it is a prefix of the newest
 * first order), and reading it again costs as much as a search.
 */
async function publishedAtOfNewest(db: Db, count: number): Promise<Date | null> {
  let known = windowStarts.get(db);
  if (known === undefined) windowStarts.set(db, (known = new Map()));
  const kept = known.get(count);
  if (kept !== undefined && Date.now() - kept.at < WINDOW_START_KEPT_MS) return await kept.date;
  const date = db
    .selectFrom("posts")
    .select("published_at")
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .offset(count - 1)
    .limit(1)
    .executeTakeFirst()
    .then((row) => row?.published_at ?? null);
  known.set(count, { at: Date.now(), date });
  date.catch(() => known.delete(count));
  return await date;
}

const WINDOW_START_KEPT_MS = 10 * 60_000;
const windowStarts = new WeakMap<Db, Map<number, { at: number; date: Promise<Date | null> }>>();

type Filtered = SelectQueryBuilder<Schema, "posts", object>;

/** How many posts `filtered` finds, counting no further than `limit` (null: all). */
async function countUpTo(db: Db, filtered: Filtered, limit: number | null): Promise<number> {
  const found = filtered.select("id").$if(limit !== null, (q) => q.limit(limit!));
  const { n } = await db.selectFrom(found.as("found")).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * A page of the matches in `filtered`, ranked by `tsquery` among the `need` newest (or newest
 * first without words), with the number of matches.
 */
async function pageOf(
  db: Db,
  filtered: Filtered,
  tsquery: RawBuilder<unknown> | null,
  { limit, offset }: { limit: number; offset: number },
  need: number,
  exact: boolean,
): Promise<SearchResults> {
  // Ranked (and counted) on narrow rows first; only the page's posts are read whole and get an
  // excerpt. Ranking reads and decompresses each candidate's vector, so only the newest matches
  // are ranked (RANKED_CANDIDATES, or as many as the page needs): a common word costs about what
  // a rarer one does. Without words (only #tags or exclusions) the newest come first, straight
  // from the (published_at, id) index, and a separate count is cheaper than counting in the same
  // query.
  // The matches are found apart (materialized): asked for them newest first, PostgreSQL walks
  // the (published_at, id) index and tests every post's vector: over a second for 100,000 posts.
  const newest = db
    .with((cte) => cte("matches").materialized(), () => filtered.select(["id as match_id", "published_at as match_published_at"]))
    .selectFrom("matches")
    .select(["match_id", "match_published_at", sql<number>`count(*) over ()`.as("total")])
    .orderBy("match_published_at", "desc")
    .orderBy("match_id", "desc")
    .limit(need);
  const page =
    tsquery !== null
      ? db
          .with("newest", () => newest)
          .selectFrom("newest")
          // The vectors are read for these candidates only: kept in the matches, they would be
          // copied for every match.
          .innerJoin("posts", "posts.id", "newest.match_id")
          .select(["newest.match_id", sql<number>`ts_rank_cd(posts.search, ${tsquery})`.as("rank"), "newest.total"])
          .orderBy("rank", "desc")
          .orderBy("newest.match_published_at", "desc")
          .orderBy("newest.match_id", "desc")
          .limit(limit)
          .offset(offset)
      : filtered
          .select(["id as match_id", sql<number>`0`.as("rank"), sql<number | null>`null::bigint`.as("total")])
          .orderBy("published_at", "desc")
          .orderBy("id", "desc")
          .limit(limit)
          .offset(offset);
  // The source is escaped before ts_headline adds its <mark>s, so those are the only tags.
  const escaped = sql`replace(replace(replace(coalesce(nullif(comment, ''), title), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
  const rows = await db
    .with("page", () => page)
    .selectFrom("page")
    .innerJoin("posts", "posts.id", "page.match_id")
    .select(POST_COLUMNS)
    .select([
      "page.rank",
      "page.total",
      tsquery !== null
        ? sql<string>`ts_headline(glose_ts_config(language), ${escaped}, ${tsquery}, ${HEADLINE_OPTIONS})`.as("excerpt")
        : sql<string>`''`.as("excerpt"),
    ])
    .orderBy("page.rank", "desc")
    .orderBy("posts.published_at", "desc")
    .orderBy("posts.id", "desc")
    .execute();

  let total: number;
  if (rows.length > 0 && rows[0]!.total !== null) total = Number(rows[0]!.total);
  else if (rows.length > 0 && rows.length < limit) total = offset + rows.length;
  else if (rows.length === 0 && offset === 0) total = 0;
  // Counted up to `need` unless asked for all: beyond, it reads as many posts as it counts.
  else total = await countUpTo(db, filtered, exact ? null : need);
  return {
    total,
    ...(!exact && tsquery === null && total >= need ? { totalIsLowerBound: true } : {}),
    results: rows.map(({ total: _total, rank, excerpt, ...post }) => ({ post, rank: Number(rank), excerpt: keepMarksOnly(excerpt) })),
  };
}

/** The live replies of the post of the enclosing query, for `exists`. */
export function liveReplies(db: Db) {
  return db.selectFrom("replies").select("replies.id").where(sql<boolean>`replies.post_id = posts.id`).where("replies.deleted_at", "is", null);
}

/**
 * The text of the tsqueries to match and to exclude (null when empty), the words analyzed in
 * the blog's language and in each language posts are written in: a post is stemmed in its own
 * language, so "running" must become 'run' for an English post on a French blog. Each branch
 * is the whole query in one language; an excluded term is excluded in any language.
 */
async function buildQueries(
  db: Db,
  words: string,
  excluded: readonly string[],
  language: string,
): Promise<{ include: string | null; exclude: string | null }> {
  const { rows } = await sql<{ include: string | null; exclude: string | null }>`
    with recursive languages (language) as (
      (select language from posts order by language limit 1)
      union all
      select (select p.language from posts p where p.language > l.language order by p.language limit 1)
      from languages l where l.language is not null
    ), configs (config) as (
      select glose_ts_config(language) from languages where language is not null
      union select glose_ts_config(${language})
    )
    select
      (select string_agg(distinct '(' || q::text || ')', ' | ')
       from configs, websearch_to_tsquery(config, ${words}) q where numnode(q) > 0) as include,
      (select string_agg(distinct '(' || q::text || ')', ' | ')
       from configs, unnest(${textArray(excluded)}) term, websearch_to_tsquery(config, term) q where numnode(q) > 0) as exclude`.execute(
    db,
  );
  return rows[0] ?? { include: null, exclude: null };
}

/** Belt and braces: any `<` that is not one of ts_headline's <mark> or </mark> is escaped. */
function keepMarksOnly(excerpt: string): string {
  return excerpt.replace(/<(?!\/?mark>)/g, "&lt;");
}
