// What a queue job is (Fedify's message type: fanout, outbox, inbox) and, for a delivery, the
// host it goes to: workers claim one kind at a time with a concurrency of its own, and never run
// more than a few deliveries to one host at once.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("fedify_queue")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("host", "text")
    .execute();
  await sql`update fedify_queue
               set kind = coalesce(message->>'type', ''),
                   host = case when message->>'type' = 'outbox' then substring(message->>'inbox' from '^[a-z]+://([^/?#]+)') end`.execute(db);
  await sql`create index fedify_queue_kind_run_at on fedify_queue (kind, run_at, id)`.execute(db);
  await sql`create index fedify_queue_host_leased on fedify_queue (host, locked_until) where host is not null`.execute(db);
}
