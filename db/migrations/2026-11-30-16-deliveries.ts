// Where each post's activities went: one row per (activity, inbox), kept up to date by the queue,
// for the owner's delivery status pages and dashboard.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("deliveries")
    .addColumn("activity_id", "text", (c) => c.notNull())
    .addColumn("inbox", "text", (c) => c.notNull())
    // No foreign key: a delivery must never fail to be recorded, even for a post gone since.
    .addColumn("post_id", "text", (c) => c.notNull())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'sent', 'failed', 'gone')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("last_status_code", "integer")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("deliveries_pkey", ["activity_id", "inbox"])
    .execute();
  await db.schema.createIndex("deliveries_post").on("deliveries").columns(["post_id", "inbox", "updated_at desc"]).execute();
  await sql`create index deliveries_failed on deliveries (updated_at) where status = 'failed'`.execute(db);
}
