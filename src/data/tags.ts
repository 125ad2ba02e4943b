// Tag queries over live posts. Tags are stored as the owner typed them (see content/tags.ts):
// renaming compares a tag as written, readers' pages match every spelling of it (tagSpellings).
// The list of tags with their counts is listTagCounts in posts.ts.
import { sql } from "kysely";
import { tagKey } from "../content/tags.ts";
import type { Db } from "./client.ts";
import { textArray } from "./sql-values.ts";

/** How many live posts, of any visibility, carry `tag`. */
export async function countTagUses(db: Db, tag: string): Promise<number> {
  const row = await db
    .selectFrom("posts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .where("tags", "@>", textArray([tag]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids of the live posts, of any visibility, that carry `tag`, oldest first. */
export async function listPostIdsWithTag(db: Db, tag: string): Promise<string[]> {
  const rows = await db
    .selectFrom("posts")
    .select("id")
    .where("deleted_at", "is", null)
    .where(sql<boolean>`${tag} = any(tags)`)
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
  const { rows } = await sql<{ tag: string }>`
    select tag from posts, unnest(tags) as tag
    where deleted_at is null
    group by tag order by count(*) desc, tag`.execute(db);
  return rows.map((row) => row.tag).filter((spelling) => tagKey(spelling) === key);
}
