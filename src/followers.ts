// Followers: the domain service behind Follow, Undo(Follow) and the owner's approvals.
import type { Db } from "./data/client.ts";
import { deleteFollower, getFollower, upsertFollower, type NewFollower } from "./data/followers.ts";

export type FollowOutcome = "accepted" | "pending";

/** Records a follow request; it waits for the owner's approval when the account is locked. */
export async function recordFollow(db: Db, follower: Omit<NewFollower, "status">, locked: boolean): Promise<FollowOutcome> {
  const existing = await getFollower(db, follower.actor_id);
  // Someone already accepted stays accepted when their server sends the Follow again.
  const status: FollowOutcome = existing?.status === "accepted" || !locked ? "accepted" : "pending";
  await upsertFollower(db, { ...follower, status });
  return status;
}

/** Undo(Follow) and Reject: removes the follower by actor, whatever Follow id they sent. */
export async function removeFollow(db: Db, actorId: string): Promise<boolean> {
  return await deleteFollower(db, actorId);
}
