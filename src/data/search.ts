// Full-text search over posts: words in the blog's language (stemmed, accents folded), "quoted
// phrases", -exclusions and #tag filters; ranked, with highlighted excerpts.
import { sql } from "kysely";
import type { Visibility } from "../../db/schema.ts";
import { normalizeTags } from "../content.ts";
import type { Db } from "./client.ts";
import { POST_COLUMNS, type PostRow } from "./posts.ts";
import { textArray } from "./sql-values.ts";

export interface SearchOptions {
  readonly query: string;
  readonly visibilities: readonly Visibility[];
  readonly limit: number;
  readonly offset?: number;
  /** The blog's language: its stemming applies to the words even before a post uses it. */
  readonly language?: string;
}

export interface SearchResult {
  readonly post: PostRow;
  readonly rank: number;
  /** The commentary around the matches, HTML-escaped, matches in <mark>; empty without words. */
  readonly excerpt: string;
}

/** Splits `#tag` filters from the words. */
export function parseSearchQuery(query: string): { text: string; tags: string[] } {
  const tags: string[] = [];
  const text = query
    .replace(/(^|\s)#([^\s#"]+)/g, (_match, space: string, tag: string) => {
      tags.push(tag);
      return space;
    })
    .replace(/\s+/g, " ")
    .trim();
  return { text, tags: normalizeTags(tags) };
}

export async function searchPosts(db: Db, options: SearchOptions): Promise<{ total: number; results: SearchResult[] }> {
  const { text, tags } = parseSearchQuery(options.query);
  if (text === "" && tags.length === 0) return { total: 0, results: [] };
  // The words stemmed in every language the posts are written in, and word for word.
  const configs = await textSearchConfigs(db, options.language ?? "en");
  const tsquery = sql`(${sql.join(
    configs.map(({ config }) => sql`websearch_to_tsquery(${config}::regconfig, ${text})`),
    sql` || `,
  )})`;
  const filtered = db
    .selectFrom("posts")
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...options.visibilities])
    .$if(tags.length > 0, (query) => query.where("tags", "@>", textArray(tags)))
    .$if(text !== "", (query) => query.where(sql<boolean>`search @@ ${tsquery}`));

  const { n: total } = await filtered.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const escaped = sql`replace(replace(replace(coalesce(nullif(comment, ''), title), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
  const rows = await filtered
    .select(POST_COLUMNS)
    .select([
      text === "" ? sql<number>`0`.as("rank") : sql<number>`ts_rank_cd(search, ${tsquery})`.as("rank"),
      text === ""
        ? sql<string>`''`.as("excerpt")
        : sql<string>`ts_headline(glose_ts_config(language), ${escaped}, ${tsquery}, 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … "')`.as(
            "excerpt",
          ),
    ])
    .orderBy("rank", "desc")
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return {
    total: Number(total),
    results: rows.map(({ rank, excerpt, ...post }) => ({ post, rank: Number(rank), excerpt: keepMarksOnly(excerpt) })),
  };
}

const CONFIGS_TTL_MS = 5 * 60 * 1000;
const configsCache = new WeakMap<Db, { at: number; configs: Promise<{ config: string }[]> }>();

/** The search configurations of the posts' languages; they change rarely, so they are kept a while. */
function textSearchConfigs(db: Db, language: string): Promise<{ config: string }[]> {
  const cached = configsCache.get(db);
  if (cached !== undefined && Date.now() - cached.at < CONFIGS_TTL_MS) return cached.configs;
  const configs = sql<{ config: string }>`
    select glose_ts_config(language)::text as config from (select distinct language from posts) as languages
    union select glose_ts_config(${language})::text
    union select 'glose_simple'`
    .execute(db)
    .then((result) => result.rows);
  configsCache.set(db, { at: Date.now(), configs });
  configs.catch(() => configsCache.delete(db));
  return configs;
}

/** The excerpt's source was escaped before highlighting: only <mark> and </mark> can be tags. */
function keepMarksOnly(excerpt: string): string {
  return excerpt.replace(/<(?!\/?mark>)/g, "&lt;");
}
