// When a former account was last seen to have moved here: followers are marked as coming with the
// move only for a while after it, not for ever.
import { type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("account").addColumn("moved_in_at", "timestamptz").execute();
}
