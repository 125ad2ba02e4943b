// Tags that can be followed: each tag of a public post is an actor of its own, whose followers
// get that tag's public posts. Handles are assigned once and kept (see content/tag-handles.ts).
import { assignTagHandles } from "../content/tag-handles.ts";
import { tagKey } from "../content/tags.ts";
import { getAccount, updateAccount, type AccountRow } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import { listTagCounts } from "../data/posts.ts";
import {
  deleteTagFollower,
  getTagActor,
  getTagActorsOfTags,
  getTagFollower,
  insertTagActors,
  listTagActors,
  setTagActorEnabled,
  setTagFollowerStatus,
  upsertTagFollower,
  type TagActorRow,
  type TagFollowerRow,
} from "../data/tag-actors.ts";
import { rememberActor, type RemoteActor } from "./conversations.ts";
import type { FollowOutcome } from "./followers.ts";

export interface TagActor {
  readonly account: AccountRow;
  readonly row: TagActorRow;
}

/** Gives a handle to every tag of a public post that has none yet, most used tags first. */
export async function assignTagActors(db: Db): Promise<void> {
  const account = await getAccount(db);
  if (account === undefined) return;
  const existing = await listTagActors(db);
  const known = new Set(existing.map((row) => tagKey(row.tag)));
  const missing = (await listTagCounts(db, ["public"])).map((entry) => entry.tag).filter((tag) => !known.has(tagKey(tag)));
  if (missing.length === 0) return;
  // The owner's username always wins: no tag ever takes it.
  const handles = assignTagHandles(missing, [account.username, ...existing.map((row) => row.handle)]);
  await insertTagActors(db, [...handles].map(([tag, handle]) => ({ tag, handle })));
}

/** The tag actor answering to `handle`, unless the feature or that tag is turned off. */
export async function findTagActor(db: Db, handle: string): Promise<TagActor | undefined> {
  const account = await getAccount(db);
  if (account === undefined || !account.tag_actors) return undefined;
  let row = await getTagActor(db, handle);
  if (row === undefined) {
    await assignTagActors(db);
    row = await getTagActor(db, handle);
  }
  return row?.enabled ? { account, row } : undefined;
}

/** The followable actors of these tags (none when the feature is off). */
export async function tagActorsOf(db: Db, tags: readonly string[]): Promise<TagActorRow[]> {
  const account = await getAccount(db);
  if (account === undefined || !account.tag_actors || tags.length === 0) return [];
  let rows = await getTagActorsOfTags(db, tags);
  if (rows.length < new Set(tags.map(tagKey)).size) {
    await assignTagActors(db);
    rows = await getTagActorsOfTags(db, tags);
  }
  return rows.filter((row) => row.enabled);
}

/** Records a follow of a tag actor; it waits for approval when the account is locked. */
export async function recordTagFollow(db: Db, tag: TagActor, actor: RemoteActor, followId: string): Promise<FollowOutcome> {
  if (actor.inboxUrl === null) throw new Error("a follower needs an inbox");
  const existing = await getTagFollower(db, tag.row.handle, actor.id);
  const status: FollowOutcome = existing?.status === "accepted" || !tag.account.locked ? "accepted" : "pending";
  await rememberActor(db, actor);
  await upsertTagFollower(db, {
    handle: tag.row.handle,
    actor_id: actor.id,
    follow_id: followId,
    inbox_url: actor.inboxUrl,
    shared_inbox_url: actor.sharedInboxUrl,
    status,
  });
  return status;
}

export async function removeTagFollow(db: Db, handle: string, actorId: string): Promise<boolean> {
  return await deleteTagFollower(db, handle, actorId);
}

/** What followers' servers are told of the owner's decisions; implemented by federation/follows.ts. */
export interface TagFollowerFederation {
  accept(follower: TagFollowerRow): Promise<void>;
  reject(follower: TagFollowerRow): Promise<void>;
}

export async function approveTagFollower(db: Db, federation: TagFollowerFederation, handle: string, actorId: string): Promise<boolean> {
  const follower = await getTagFollower(db, handle, actorId);
  if (follower === undefined || follower.status !== "pending") return false;
  await setTagFollowerStatus(db, handle, actorId, "accepted");
  await federation.accept(follower);
  return true;
}

/** Refuses a pending request or removes a follower of a tag; their server gets a Reject. */
export async function rejectTagFollower(db: Db, federation: TagFollowerFederation, handle: string, actorId: string): Promise<boolean> {
  const follower = await getTagFollower(db, handle, actorId);
  if (follower === undefined) return false;
  await deleteTagFollower(db, handle, actorId);
  await federation.reject(follower);
  return true;
}

export async function setTagActorsOn(db: Db, on: boolean): Promise<void> {
  await updateAccount(db, { tag_actors: on });
}

export async function setTagOn(db: Db, handle: string, on: boolean): Promise<boolean> {
  return await setTagActorEnabled(db, handle, on);
}
