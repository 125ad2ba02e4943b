// The Shaarli API's link search: every word must appear, case-insensitively, somewhere in the
// link, its title, its commentary or its tags; every tag asked for must be on the post.
import { sql } from "kysely";
import type { Visibility } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import type { PostRow } from "./posts.ts";
import { textArray } from "./sql-values.ts";
import { tagSpellings } from "./tags.ts";

export interface ApiSearch {
  readonly visibilities: readonly Visibility[];
  /** Words or phrases that must all appear. */
  readonly terms?: readonly string[];
  /** Words or phrases that must not appear. */
  readonly excludedTerms?: readonly string[];
  /** Tags (normalized) that must all be present. */
  readonly tags?: readonly string[];
  /** Tags (normalized) that must be absent. */
  readonly excludedTags?: readonly string[];
  readonly offset?: number;
  /** No limit when undefined. */
  readonly limit?: number;
}

/** Live posts matching the search, newest first (Shaarli orders its API results by date). */
export async function searchPostsForApi(db: Db, search: ApiSearch): Promise<PostRow[]> {
  let select = db
    .selectFrom("posts")
    .selectAll()
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...search.visibilities]);
  // Words carry no spaces, so a match never straddles two fields joined by one; phrases may,
  // which is close enough to Shaarli, which searches all fields joined too.
  const haystack = sql<string>`concat_ws(' ', url, title, comment, array_to_string(tags, ' '))`;
  for (const term of search.terms ?? []) select = select.where(sql<boolean>`${haystack} ilike ${containing(term)}`);
  for (const term of search.excludedTerms ?? []) select = select.where(sql<boolean>`${haystack} not ilike ${containing(term)}`);
  // Tags in any of their spellings (IA, ia).
  for (const tag of search.tags ?? []) select = select.where("tags", "&&", textArray(await tagSpellings(db, tag)));
  if (search.excludedTags !== undefined && search.excludedTags.length > 0) {
    const excluded = (await Promise.all(search.excludedTags.map((tag) => tagSpellings(db, tag)))).flat();
    select = select.where(sql<boolean>`not (tags && ${textArray(excluded)})`);
  }
  select = select.orderBy("published_at", "desc").orderBy("id", "desc");
  if (search.limit !== undefined) select = select.limit(search.limit);
  if (search.offset !== undefined && search.offset > 0) select = select.offset(search.offset);
  return await select.execute();
}

/** An ILIKE pattern matching `text` anywhere, with LIKE's own characters taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
