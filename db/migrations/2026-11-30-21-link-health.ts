// Link health: one row per post with a link, telling when the link was last checked and seen
// alive, where a permanent redirect leads, and when the next check is due.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("link_checks")
    .addColumn("post_id", "text", (c) => c.primaryKey().references("posts.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("unchecked").check(sql`status in ('unchecked', 'healthy', 'moved', 'failing', 'dead', 'refused')`),
    )
    .addColumn("http_status", "integer")
    .addColumn("final_url", "text")
    .addColumn("error", "text")
    .addColumn("last_checked_at", "timestamptz")
    .addColumn("last_alive_at", "timestamptz")
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failing_since", "timestamptz")
    .addColumn("next_check_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("link_checks_next_check_at").on("link_checks").column("next_check_at").execute();
  await db.schema.createIndex("link_checks_status").on("link_checks").column("status").execute();
}
