// The owner's moderation tools: approve or refuse followers, remove them, hide or delete
// replies, block accounts and whole servers. A change that followers' servers are told of is
// written and its Accept or Reject queued in one transaction: if queuing fails, nothing changed.
import type { Db } from "../data/client.ts";
import { inTransaction } from "../data/transaction.ts";
import { insertBlock, deleteBlock } from "../data/blocks.ts";
import { getFollower, listFollowers, updateFollowerStatus, type FollowerRow } from "../data/followers.ts";
import { getReply, hideRepliesOf, tombstoneReplies, updateReply } from "../data/replies.ts";
import { removeFollow } from "./followers.ts";

/** What followers' servers are told; implemented by federation/follows.ts. */
export interface FollowerFederation {
  accept(follower: FollowerRow): Promise<void>;
  reject(follower: FollowerRow): Promise<void>;
}

export interface ModerationDeps {
  readonly db: Db;
  readonly federation: FollowerFederation;
}

export async function approveFollower(deps: ModerationDeps, actorId: string): Promise<boolean> {
  return await inTransaction(deps.db, async () => {
    const follower = await getFollower(deps.db, actorId);
    if (follower === undefined || follower.status !== "pending") return false;
    await updateFollowerStatus(deps.db, actorId, "accepted");
    await deps.federation.accept(follower);
    return true;
  });
}

/** Refuses a pending request or removes a follower; their server gets a Reject either way. */
export async function rejectFollower(deps: ModerationDeps, actorId: string): Promise<boolean> {
  return await inTransaction(deps.db, async () => {
    const follower = await getFollower(deps.db, actorId);
    if (follower === undefined) return false;
    await removeFollow(deps.db, actorId);
    await deps.federation.reject(follower);
    return true;
  });
}

export async function setReplyHidden(db: Db, id: string, hidden: boolean): Promise<boolean> {
  if ((await getReply(db, id)) === undefined) return false;
  await updateReply(db, id, { hidden });
  return true;
}

export async function deleteReplyAsOwner(db: Db, id: string): Promise<boolean> {
  return (await tombstoneReplies(db, { id })) > 0;
}

/** Blocks an account: it stops following, its replies are hidden, its activities refused. */
export async function blockActor(deps: ModerationDeps, actorId: string): Promise<void> {
  await inTransaction(deps.db, async () => {
    await insertBlock(deps.db, "actor", actorId);
    await hideRepliesOf(deps.db, { actorId });
    await rejectFollower(deps, actorId);
  });
}

/** Blocks a whole server (and its subdomains' accounts are not included: a domain is one host). */
export async function blockDomain(deps: ModerationDeps, domain: string): Promise<void> {
  const host = domain.trim().toLowerCase();
  await inTransaction(deps.db, async () => {
    await insertBlock(deps.db, "domain", host);
    await hideRepliesOf(deps.db, { domain: host });
    for (const follower of await listFollowers(deps.db, { includePending: true })) {
      if (URL.canParse(follower.actor_id) && new URL(follower.actor_id).hostname === host) {
        await rejectFollower(deps, follower.actor_id);
      }
    }
  });
}

export async function unblock(db: Db, kind: "actor" | "domain", value: string): Promise<void> {
  await deleteBlock(db, kind, value);
}

/** A domain typed by the owner, or pulled from a handle or URL: `mastodon.example`. */
export function parseDomain(input: string): string | null {
  const text = input.trim().toLowerCase().replace(/^@?[^@\s]+@/, "");
  const host = URL.canParse(text) ? new URL(text).hostname : URL.canParse(`https://${text}`) ? new URL(`https://${text}`).hostname : "";
  return /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(host) ? host : null;
}
