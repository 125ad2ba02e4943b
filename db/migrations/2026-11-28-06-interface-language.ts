// The language of the blog's interface: "auto" follows each reader's browser.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("account")
    .addColumn("interface_language", "text", (c) => c.notNull().defaultTo("auto"))
    .execute();
}
