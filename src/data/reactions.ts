import type { Selectable } from "kysely";
import type { ReactionKind, ReactionTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type ReactionRow = Selectable<ReactionTable>;

/** Records a like, boost or emoji; one per person, kind, post and emoji, whatever activity id repeats it. */
export async function insertReaction(
  db: Db,
  reaction: { activity_id: string; kind: ReactionKind; post_id: string; actor_id: string; emoji?: string; emoji_url?: string | null },
): Promise<boolean> {
  const result = await db.insertInto("reactions").values(reaction).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Undo: by the activity's id, or by who, what and which post when the id is unknown. */
export async function deleteReaction(
  db: Db,
  match: { activityId: string | null; kind: ReactionKind; actorId: string; postId: string | null },
): Promise<boolean> {
  let query = db.deleteFrom("reactions").where("kind", "=", match.kind).where("actor_id", "=", match.actorId);
  query = query.where((eb) => {
    const byId = match.activityId === null ? [] : [eb("activity_id", "=", match.activityId)];
    const byPost = match.postId === null ? [] : [eb("post_id", "=", match.postId)];
    return eb.or([...byId, ...byPost]);
  });
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteReactionsOf(db: Db, actorId: string): Promise<void> {
  await db.deleteFrom("reactions").where("actor_id", "=", actorId).execute();
}

export async function listReactions(db: Db, postId: string, kind: "like" | "announce"): Promise<ReactionRow[]> {
  return await db
    .selectFrom("reactions")
    .selectAll()
    .where("post_id", "=", postId)
    .where("kind", "=", kind)
    .orderBy("created_at")
    .execute();
}

export async function countReactions(db: Db, postIds: readonly string[]): Promise<Map<string, { like: number; announce: number }>> {
  const counts = new Map(postIds.map((id) => [id, { like: 0, announce: 0 }]));
  if (postIds.length === 0) return counts;
  const rows = await db
    .selectFrom("reactions")
    .select(["post_id", "kind", (eb) => eb.fn.countAll<number>().as("n")])
    .where("post_id", "in", [...postIds])
    .where("kind", "in", ["like", "announce"])
    .groupBy(["post_id", "kind"])
    .execute();
  for (const row of rows) counts.get(row.post_id)![row.kind as "like" | "announce"] = Number(row.n);
  return counts;
}

export interface EmojiCount {
  readonly emoji: string;
  /** A custom emoji's image; null for a Unicode emoji. */
  readonly url: string | null;
  readonly count: number;
}

/** A post's emoji reactions, most given first. */
export async function countEmojiReactions(db: Db, postId: string): Promise<EmojiCount[]> {
  const rows = await db
    .selectFrom("reactions")
    .select(["emoji", (eb) => eb.fn.max("emoji_url").as("url"), (eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.min("created_at").as("first")])
    .where("post_id", "=", postId)
    .where("kind", "=", "emoji")
    .groupBy("emoji")
    .orderBy("n", "desc")
    .orderBy("first")
    .execute();
  return rows.map((row) => ({ emoji: row.emoji, url: row.url ?? null, count: Number(row.n) }));
}
