// What the read cache needs from the database: a notification, sent at commit, for each kind of
// data that changed, so that every process sharing the database drops the documents built from it;
// and indexes for the two reads that scanned every post (pinned posts, NodeInfo's counts).
import { sql, type Kysely } from "kysely";

/** Tables and the scope each one's changes invalidate; src/web/read-cache.ts lists the same. */
const SCOPES: Record<string, string> = {
  posts: "posts",
  account: "profile",
  followers: "followers",
  replies: "interactions",
  reactions: "interactions",
  quotes: "interactions",
  remote_actors: "interactions",
  blocks: "interactions",
};

export async function up(db: Kysely<any>): Promise<void> {
  // NOTIFY is delivered at commit, and identical ones of a transaction are sent once: a bulk
  // import notifies once per scope, and a rolled-back change not at all.
  await sql`create function glose_read_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('glose_read_changes', tg_argv[0]);
  return null;
end $$`.execute(db);
  for (const [table, scope] of Object.entries(SCOPES)) {
    await sql`create trigger ${sql.raw(`${table}_read_changed`)} after insert or update or delete on ${sql.table(table)}
      for each row execute function glose_read_changed(${sql.lit(scope)})`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_read_truncated`)} after truncate on ${sql.table(table)}
      for each statement execute function glose_read_changed(${sql.lit(scope)})`.execute(db);
  }
  await sql`create index posts_pinned on posts (published_at desc, id desc) where pinned`.execute(db);
  await sql`create index posts_live_visibility on posts (visibility, published_at) where deleted_at is null`.execute(db);
}
