// A job's place among the jobs of its ordering key. Null: its own id. A retry enqueued while a
// job runs takes that job's place, so a later job of the same key cannot overtake it.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("fedify_queue").addColumn("ordering_position", "bigint").execute();
  await db.schema.dropIndex("fedify_queue_ordering").execute();
  await sql`create index fedify_queue_ordering on fedify_queue (ordering_key, coalesce(ordering_position, id), id)
             where ordering_key is not null`.execute(db);
}
