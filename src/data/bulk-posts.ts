// Many posts at once, for imports: one query where one post at a time would take hundreds.
import { POST_COLUMNS, type NewPost, type PostRow } from "./posts.ts";
import type { Db } from "./client.ts";

export async function insertPosts(db: Db, posts: readonly NewPost[]): Promise<PostRow[]> {
  if (posts.length === 0) return [];
  const rows = await db.insertInto("posts").values([...posts]).returning(POST_COLUMNS).execute();
  await db
    .insertInto("post_history")
    .values(rows.map((row) => ({ event: "CREATED" as const, post_id: row.id })))
    .execute();
  return rows;
}

/** The live posts with these URLs, by URL. */
export async function findLivePostsByUrls(db: Db, urls: readonly string[]): Promise<Map<string, PostRow>> {
  if (urls.length === 0) return new Map();
  const rows = await db
    .selectFrom("posts")
    .select(POST_COLUMNS)
    .where("url", "in", [...urls])
    .where("deleted_at", "is", null)
    .execute();
  return new Map(rows.map((row) => [row.url!, row]));
}
