// The fediverse's side of a post: replies, likes and boosts, the people behind them, the
// owner's notifications, and blocks.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("remote_actors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("url", "text")
    .addColumn("icon_url", "text")
    .addColumn("inbox_url", "text")
    .addColumn("shared_inbox_url", "text")
    .addColumn("refreshed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("replies")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("in_reply_to", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("content_html", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("sensitive", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("language", "text")
    // Only replies addressed to Public (in to or cc) are shown on the blog.
    .addColumn("public", "boolean", (c) => c.notNull())
    .addColumn("hidden", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("published_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz")
    // Kept as a tombstone, so that a late Create does not bring a deleted reply back.
    .addColumn("deleted_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("replies_post").on("replies").columns(["post_id", "published_at"]).execute();
  await db.schema.createIndex("replies_actor").on("replies").column("actor_id").execute();

  await db.schema
    .createTable("reactions")
    .addColumn("activity_id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('like', 'announce')`))
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("reactions_once", ["kind", "post_id", "actor_id"])
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('follow', 'follow_request', 'reply', 'mention', 'like', 'announce', 'report', 'block', 'move')`),
    )
    // The activity behind it: the same activity delivered twice notifies once.
    .addColumn("activity_id", "text", (c) => c.unique())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("post_id", "text")
    .addColumn("reply_id", "text")
    .addColumn("body", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .execute();
  await db.schema.createIndex("notifications_created").on("notifications").column("created_at").execute();

  await db.schema
    .createTable("blocks")
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('actor', 'domain')`))
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("blocks_pkey", ["kind", "value"])
    .execute();
}
