// The tags index without a pending list. GIN's default pending list (4 MB) is flushed only by
// (auto)vacuum or when full, and PGlite has no autovacuum: after 100,000 posts it held 311 pages
// that every #tag search read entry by entry, 10–20 ms for `#tech` on PGlite, so much that the
// planner left the search index out and tested the words of every tagged post in the window.
// Each post adds only a tag or two to this index, so adding them one by one costs little.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter index posts_tags set (fastupdate = off)`.execute(db);
  // Turning the list off does not empty it.
  await sql`select gin_clean_pending_list('posts_tags'::regclass)`.execute(db);
}
