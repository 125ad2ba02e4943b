// Tag queries over live posts. Tags are stored normalized (see content/tags.ts), so a tag is
// compared as written. The list of tags with their counts is listTagCounts in posts.ts.
import { sql } from "kysely";
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
