import type { Insertable, Selectable, Updateable } from "kysely";
import type { ReplyTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import { jsonb } from "./json.ts";

export type ReplyRow = Selectable<ReplyTable>;

/** Stores a reply unless its id is known (delivered twice, or deleted before: a tombstone). */
export async function insertReply(db: Db, reply: Insertable<ReplyTable>): Promise<boolean> {
  const result = await db.insertInto("replies").values(reply).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function getReply(db: Db, id: string): Promise<ReplyRow | undefined> {
  return await db.selectFrom("replies").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateReply(
  db: Db,
  id: string,
  changes: Pick<Updateable<ReplyTable>, "content_html" | "summary" | "sensitive" | "language" | "updated_at" | "hidden" | "public" | "emojis" | "attachments">,
): Promise<void> {
  await db.updateTable("replies").set(changes).where("id", "=", id).execute();
}

/** Empties a reply and keeps its id as a tombstone. */
export async function tombstoneReplies(db: Db, where: { id?: string; actorId?: string }): Promise<number> {
  let query = db.updateTable("replies").set({ deleted_at: new Date(), content_html: "", summary: null, attachments: jsonb([]) }).where("deleted_at", "is", null);
  if (where.id !== undefined) query = query.where("id", "=", where.id);
  if (where.actorId !== undefined) query = query.where("actor_id", "=", where.actorId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The replies shown under a post: public, not deleted, oldest first; hidden ones for the owner only. */
export async function listVisibleReplies(db: Db, postId: string, options: { includeHidden?: boolean } = {}): Promise<ReplyRow[]> {
  return await db
    .selectFrom("replies")
    .selectAll()
    .where("post_id", "=", postId)
    .where("public", "=", true)
    .$if(!options.includeHidden, (query) => query.where("hidden", "=", false))
    .where("deleted_at", "is", null)
    .orderBy("published_at")
    .orderBy("id")
    .execute();
}

export async function countVisibleReplies(db: Db, postIds: readonly string[]): Promise<Map<string, number>> {
  if (postIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("replies")
    .select(["post_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("post_id", "in", [...postIds])
    .where("public", "=", true)
    .where("hidden", "=", false)
    .where("deleted_at", "is", null)
    .groupBy("post_id")
    .execute();
  return new Map(rows.map((row) => [row.post_id, Number(row.n)]));
}

/** Replies of every kind for the owner, newest first. */
export async function listRecentReplies(db: Db, limit: number): Promise<ReplyRow[]> {
  return await db
    .selectFrom("replies")
    .selectAll()
    .where("deleted_at", "is", null)
    .orderBy("published_at", "desc")
    .limit(limit)
    .execute();
}

export async function hideRepliesOf(db: Db, match: { actorId?: string; domain?: string }): Promise<void> {
  let query = db.updateTable("replies").set({ hidden: true });
  if (match.actorId !== undefined) query = query.where("actor_id", "=", match.actorId);
  if (match.domain !== undefined) {
    query = query.where((eb) =>
      eb.or([eb("actor_id", "like", `https://${match.domain}/%`), eb("actor_id", "like", `http://${match.domain}/%`)]),
    );
  }
  await query.execute();
}
