// Tags that can be followed: each tag's actor handle (assigned once, then stable), who follows
// each tag actor, and which tag actors announced which post (so edits and deletions follow).
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("account").addColumn("tag_actors", "boolean", (c) => c.notNull().defaultTo(true)).execute();

  await db.schema
    .createTable("tag_actors")
    .addColumn("handle", "text", (c) => c.primaryKey())
    .addColumn("tag", "text", (c) => c.notNull().unique())
    .addColumn("enabled", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("tag_followers")
    .addColumn("handle", "text", (c) => c.notNull().references("tag_actors.handle").onDelete("cascade"))
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("follow_id", "text", (c) => c.notNull())
    .addColumn("inbox_url", "text", (c) => c.notNull())
    .addColumn("shared_inbox_url", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("accepted").check(sql`status in ('accepted', 'pending')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("tag_followers_pkey", ["handle", "actor_id"])
    .execute();

  await db.schema
    .createTable("tag_announces")
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("handle", "text", (c) => c.notNull().references("tag_actors.handle").onDelete("cascade"))
    .addPrimaryKeyConstraint("tag_announces_pkey", ["post_id", "handle"])
    .execute();
}
