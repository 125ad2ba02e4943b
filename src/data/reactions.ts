import type { Selectable } from "kysely";
import type { ReactionKind, ReactionTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type ReactionRow = Selectable<ReactionTable>;

/** Records a like or boost; one per person, kind and post, whatever activity id repeats it. */
export async function insertReaction(
  db: Db,
  reaction: { activity_id: string; kind: ReactionKind; post_id: string; actor_id: string },
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

export async function listReactions(db: Db, postId: string, kind: ReactionKind): Promise<ReactionRow[]> {
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
    .groupBy(["post_id", "kind"])
    .execute();
  for (const row of rows) counts.get(row.post_id)![row.kind] = Number(row.n);
  return counts;
}
