// A notification kind for followers removed because their server said for good they are gone.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications drop constraint notifications_kind_check`.execute(db);
  await sql`alter table notifications add constraint notifications_kind_check check (kind in (
    'follow', 'follow_request', 'reply', 'mention', 'like', 'announce', 'report', 'block', 'move', 'follower_gone'
  ))`.execute(db);
}
