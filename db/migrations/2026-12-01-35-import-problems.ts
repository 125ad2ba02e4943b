// An import job's problems (one per refused link) or failure (why the whole source was refused)
// as data, so that the moving page words them in the owner's language. Older jobs keep only their
// English text in `error`.
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_jobs").addColumn("issues", "jsonb").execute();
}
