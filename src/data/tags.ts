// Tag queries over live posts. Tags are stored as the owner typed them (see content/tags.ts), and
// matched in every spelling (IA, ia: see tagSpellings). The list of tags with their counts is
// listTagCounts in posts.ts.
import { sql } from "kysely";
import { tagKey } from "../content/tags.ts";
import type { Db } from "./client.ts";
import { textArray } from "./sql-values.ts";

/** How many live posts, of any visibility, carry `tag`, in any of its spellings. */
export async function countTagUses(db: Db, tag: string): Promise<number> {
  const spellings = await tagSpellings(db, tag);
  if (spellings.length === 0) return 0;
  const row = await db
    .selectFrom("posts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .where("tags", "&&", textArray(spellings))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids of the live posts, of any visibility, that carry `tag` in any spelling, oldest first. */
export async function listPostIdsWithTag(db: Db, tag: string): Promise<string[]> {
  const spellings = await tagSpellings(db, tag);
  if (spellings.length === 0) return [];
  const rows = await db
    .selectFrom("posts")
    .select("id")
    .where("deleted_at", "is", null)
    .where("tags", "&&", textArray(spellings))
    .orderBy("published_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The spellings of `tag` that live posts carry (IA, ia…), most used first; none when no post
 * has it. Compared in JavaScript, by French rules, since a database's lower() may leave accented
 * capitals as they are.
 */
export async function tagSpellings(db: Db, tag: string): Promise<string[]> {
  const key = tagKey(tag);
  // Every spelling ever used (a few hundred rows), then the live posts of those that match.
  const known = await db.selectFrom("tag_spellings").select("tag").execute();
  const candidates = known.map((row) => row.tag).filter((spelling) => tagKey(spelling) === key);
  if (candidates.length === 0) return [];
  if (candidates.length === 1) {
    // One spelling: whether a live post still has it is all there is to know.
    const live = await db.selectFrom("posts").select("id").where("deleted_at", "is", null).where("tags", "&&", textArray(candidates)).limit(1).executeTakeFirst();
    return live === undefined ? [] : candidates;
  }
  const { rows } = await sql<{ tag: string }>`
    select tag from posts, unnest(tags) as tag
    where deleted_at is null and tags && ${textArray(candidates)} and tag = any(${textArray(candidates)})
    group by tag order by count(*) desc, tag`.execute(db);
  return rows.map((row) => row.tag);
}
