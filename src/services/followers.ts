// Followers: the domain service behind Follow, Undo(Follow) and the owner's approvals.
import type { RemoteActor } from "./conversations.ts";
import { rememberActor } from "./conversations.ts";
import type { Db } from "../data/client.ts";
import { deleteFollower, getFollower, upsertFollower } from "../data/followers.ts";
import { insertNotification } from "../data/notifications.ts";

export type FollowOutcome = "accepted" | "pending";

/**
 * Records a follow request; it waits for the owner's approval when the account is locked.
 * `movedFrom`: the owner's former account whose move brings this follower, noted if they are new.
 */
export async function recordFollow(
  db: Db,
  actor: RemoteActor,
  followId: string,
  locked: boolean,
  movedFrom: string | null = null,
): Promise<FollowOutcome> {
  if (actor.inboxUrl === null) throw new Error("a follower needs an inbox");
  const existing = await getFollower(db, actor.id);
  // Someone already accepted stays accepted when their server sends the Follow again.
  const status: FollowOutcome = existing?.status === "accepted" || !locked ? "accepted" : "pending";
  await rememberActor(db, actor);
  await upsertFollower(db, {
    actor_id: actor.id,
    follow_id: followId,
    inbox_url: actor.inboxUrl,
    shared_inbox_url: actor.sharedInboxUrl,
    handle: actor.handle,
    name: actor.name,
    url: actor.url,
    icon_url: actor.iconUrl,
    status,
    ...(existing === undefined && movedFrom !== null ? { moved_from: movedFrom } : {}),
  });
  if (existing?.status !== "accepted") {
    await insertNotification(db, {
      kind: status === "accepted" ? "follow" : "follow_request",
      activity_id: followId,
      actor_id: actor.id,
    });
  }
  return status;
}

/** Undo(Follow), a refusal or a removal: the follower goes, whatever Follow id they sent. */
export async function removeFollow(db: Db, actorId: string): Promise<boolean> {
  return await deleteFollower(db, actorId);
}

/**
 * Followers whose server said for good that they are gone: removed, and each removal shown to
 * the owner with `why`. Returns how many there were.
 */
export async function removeUnreachableFollowers(db: Db, actorIds: readonly string[], why: string): Promise<number> {
  let removed = 0;
  for (const actorId of actorIds) {
    if (!(await deleteFollower(db, actorId))) continue;
    removed++;
    await insertNotification(db, { kind: "follower_gone", activity_id: null, actor_id: actorId, body: why });
  }
  return removed;
}
