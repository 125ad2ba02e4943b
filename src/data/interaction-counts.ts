// How many replies, likes and boosts each post has: shown on pages and carried as collection
// totals in each Note.
import type { Db } from "./client.ts";
import { countReactions } from "./reactions.ts";
import { countVisibleReplies } from "./replies.ts";

export interface InteractionCounts {
  readonly replies: number;
  readonly likes: number;
  readonly shares: number;
}

export async function countInteractions(db: Db, postIds: readonly string[]): Promise<Map<string, InteractionCounts>> {
  const [replies, reactions] = await Promise.all([countVisibleReplies(db, postIds), countReactions(db, postIds)]);
  return new Map(
    postIds.map((id) => [
      id,
      { replies: replies.get(id) ?? 0, likes: reactions.get(id)?.like ?? 0, shares: reactions.get(id)?.announce ?? 0 },
    ]),
  );
}
