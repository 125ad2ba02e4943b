// The accounts a post mentions, resolved when it was saved: the Note's Mention tags, its audience
// and its deliveries are built from them, never resolved again when the Note is served.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("posts")
    .addColumn("mentions", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}
