// What a fan-out's deliveries share, the activity and the keys that sign it, stored once: each
// queued delivery names its parts by hash (fedify_queue.parts) instead of carrying 8 KB of its
// own. A part no queued message names any more is removed by the worker's cleanup.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("fedify_queue_parts")
    .addColumn("hash", "text", (col) => col.primaryKey())
    .addColumn("value", "jsonb", (col) => col.notNull())
    // Refreshed by every enqueue that names the part, so the cleanup never takes one being reused.
    .addColumn("stored_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.alterTable("fedify_queue").addColumn("parts", sql`text[]`).execute();
}
