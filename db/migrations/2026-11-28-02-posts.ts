// Link posts: a URL (optional), a title, a Markdown commentary and tags, with a visibility;
// and their history.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("posts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("url", "text")
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("comment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("comment_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("tags", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("visibility", "text", (c) =>
      c.notNull().check(sql`visibility in ('public', 'unlisted', 'followers', 'private')`),
    )
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("pinned", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("preview", "jsonb")
    // Millisecond precision, so that a JavaScript Date taken from a row is an exact page cursor.
    .addColumn("published_at", "timestamptz", (c) => c.notNull().defaultTo(sql`date_trunc('milliseconds', now())`))
    .addColumn("updated_at", "timestamptz")
    // When the followers last got this post (Create or Update); null while it was never sent,
    // or since it was deleted remotely.
    .addColumn("federated_at", "timestamptz")
    // Bumped when a post deleted remotely (made private) is published again: servers keep a
    // tombstone for a deleted id forever, so the Note needs a new one.
    .addColumn("generation", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("deleted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("posts_published").on("posts").columns(["published_at desc", "id desc"]).execute();
  await db.schema.createIndex("posts_tags").on("posts").using("gin").column("tags").execute();
  // One live post per URL: posting a known URL opens the existing post, as in Shaarli.
  await db.schema
    .createIndex("posts_url_unique")
    .on("posts")
    .column("url")
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();

  // What happened to posts, newest last: the Shaarli API's /history.
  await db.schema
    .createTable("post_history")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("event", "text", (c) => c.notNull().check(sql`event in ('CREATED', 'UPDATED', 'DELETED', 'SETTINGS', 'IMPORT')`))
    .addColumn("post_id", "text")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
