// What the fediverse says about posts: replies, likes, boosts, mentions, reports. The inbox
// listeners call these; each is idempotent, since servers deliver again after any doubt.
import type { ProfileField, ReactionKind, RemoteAttachment, RemoteEmoji } from "../../db/schema.ts";
import { sanitizeRemoteHtml, stripControls } from "../content/index.ts";
import type { Db } from "../data/client.ts";
import { deleteFollower, getFollower, updateFollowerProfile, upsertFollower } from "../data/followers.ts";
import { jsonb } from "../data/json.ts";
import { insertNotification } from "../data/notifications.ts";
import { deleteQuotesOf } from "../data/quotes.ts";
import { deleteReaction, deleteReactionsOf, insertReaction } from "../data/reactions.ts";
import { upsertRemoteActor } from "../data/remote-actors.ts";
import { getReply, insertReply, tombstoneReplies, updateReply } from "../data/replies.ts";

export interface RemoteActor {
  readonly id: string;
  readonly handle: string;
  readonly name: string | null;
  readonly url: string | null;
  readonly iconUrl: string | null;
  readonly inboxUrl: string | null;
  readonly sharedInboxUrl: string | null;
  readonly emojis: readonly RemoteEmoji[];
  /** Values are the remote server's HTML, sanitized when stored. */
  readonly fields: readonly ProfileField[];
}

export interface IncomingReply {
  readonly id: string;
  readonly postId: string;
  readonly inReplyTo: string;
  readonly url: string | null;
  readonly contentHtml: string;
  readonly summary: string | null;
  readonly sensitive: boolean;
  readonly language: string | null;
  readonly public: boolean;
  readonly publishedAt: Date;
  readonly emojis: readonly RemoteEmoji[];
  readonly attachments: readonly RemoteAttachment[];
}

export async function rememberActor(db: Db, actor: RemoteActor): Promise<void> {
  await upsertRemoteActor(db, {
    id: actor.id,
    handle: stripControls(actor.handle),
    name: actor.name === null ? null : stripControls(actor.name),
    url: actor.url,
    icon_url: actor.iconUrl,
    inbox_url: actor.inboxUrl,
    shared_inbox_url: actor.sharedInboxUrl,
    emojis: actor.emojis,
    fields: actor.fields.map((field) => ({ name: stripControls(field.name), value: sanitizeRemoteHtml(field.value) })),
  });
  // The followers list keeps a copy of how each follower looks: keep it as fresh.
  await updateFollowerProfile(db, actor.id, {
    handle: stripControls(actor.handle),
    name: actor.name === null ? null : stripControls(actor.name),
    url: actor.url,
    icon_url: actor.iconUrl,
  });
}

/**
 * Stores a reply under its post; false if it was known already (or deleted: its tombstone stays).
 * The actor is stored already (see federation/remote.ts, actorOf), like for the functions below.
 */
export async function recordReply(db: Db, actor: RemoteActor, reply: IncomingReply): Promise<boolean> {
  const stored = await insertReply(db, {
    id: reply.id,
    post_id: reply.postId,
    in_reply_to: reply.inReplyTo,
    actor_id: actor.id,
    url: reply.url,
    content_html: sanitizeRemoteHtml(reply.contentHtml),
    summary: blankToNull(reply.summary),
    sensitive: reply.sensitive,
    language: reply.language,
    public: reply.public,
    published_at: reply.publishedAt,
    emojis: jsonb(reply.emojis),
    attachments: jsonb(reply.attachments),
  });
  if (stored) {
    await insertNotification(db, { kind: "reply", activity_id: reply.id, actor_id: actor.id, post_id: reply.postId, reply_id: reply.id });
  }
  return stored;
}

/** Applies an edit, only from the reply's author and only if newer than what is stored. */
export async function editReply(
  db: Db,
  actorId: string,
  edit: Pick<IncomingReply, "id" | "contentHtml" | "summary" | "sensitive" | "language" | "emojis" | "attachments"> & { updatedAt: Date },
): Promise<boolean> {
  const reply = await getReply(db, edit.id);
  if (reply === undefined || reply.actor_id !== actorId || reply.deleted_at !== null) return false;
  const current = reply.updated_at ?? reply.published_at;
  if (edit.updatedAt.getTime() <= current.getTime()) return false;
  await updateReply(db, edit.id, {
    content_html: sanitizeRemoteHtml(edit.contentHtml),
    summary: blankToNull(edit.summary),
    sensitive: edit.sensitive,
    language: edit.language,
    updated_at: edit.updatedAt,
    emojis: jsonb(edit.emojis),
    attachments: jsonb(edit.attachments),
  });
  return true;
}

/** Deletes a reply, only at its author's request. */
export async function deleteReply(db: Db, actorId: string, id: string): Promise<boolean> {
  const reply = await getReply(db, id);
  if (reply === undefined || reply.actor_id !== actorId) return false;
  return (await tombstoneReplies(db, { id })) > 0;
}

/** An account was deleted: its replies, likes, boosts and follow go with it. */
export async function forgetActor(db: Db, actorId: string): Promise<void> {
  await tombstoneReplies(db, { actorId });
  await deleteReactionsOf(db, actorId);
  await deleteQuotesOf(db, actorId);
  await deleteFollower(db, actorId);
}

/** A like, a boost, or an emoji reaction (`emoji`: ":blobcat:" with its image, or a Unicode emoji). */
export async function recordReaction(
  db: Db,
  actor: RemoteActor,
  reaction: { activityId: string; kind: ReactionKind; postId: string; emoji?: { name: string; url: string | null } },
): Promise<boolean> {
  const stored = await insertReaction(db, {
    activity_id: reaction.activityId,
    kind: reaction.kind,
    post_id: reaction.postId,
    actor_id: actor.id,
    emoji: reaction.emoji?.name ?? "",
    emoji_url: reaction.emoji?.url ?? null,
  });
  if (stored) {
    await insertNotification(db, {
      kind: reaction.kind === "emoji" ? "reaction" : reaction.kind,
      activity_id: reaction.activityId,
      actor_id: actor.id,
      post_id: reaction.postId,
      body: reaction.emoji?.name ?? null,
    });
  }
  return stored;
}

export async function undoReaction(
  db: Db,
  undo: { activityId: string | null; kind: ReactionKind; actorId: string; postId: string | null },
): Promise<boolean> {
  return await deleteReaction(db, undo);
}

/** A post that mentions the owner without replying to anything here: a notification only. */
export async function recordMention(db: Db, actor: RemoteActor, mention: { id: string; contentHtml: string }): Promise<void> {
  await insertNotification(db, {
    kind: "mention",
    activity_id: mention.id,
    actor_id: actor.id,
    body: sanitizeRemoteHtml(mention.contentHtml),
  });
}

export async function recordReport(db: Db, report: { activityId: string; actorId: string; content: string; objects: readonly string[] }): Promise<void> {
  const body = stripControls([report.content.slice(0, 5000), ...report.objects].filter((line) => line !== "").join("\n"));
  await insertNotification(db, { kind: "report", activity_id: report.activityId, actor_id: report.actorId, body });
}

/** Someone blocked the owner: they stop following, and the owner learns it. */
export async function recordRemoteBlock(db: Db, block: { activityId: string; actorId: string }): Promise<void> {
  await deleteFollower(db, block.actorId);
  await insertNotification(db, { kind: "block", activity_id: block.activityId, actor_id: block.actorId });
}

/** A follower moved to a new account: the follow moves with them. */
export async function moveFollower(db: Db, move: { activityId: string; from: string; to: RemoteActor }): Promise<boolean> {
  const follower = await getFollower(db, move.from);
  if (follower === undefined || move.to.inboxUrl === null) return false;
  await rememberActor(db, move.to);
  await upsertFollower(db, {
    actor_id: move.to.id,
    follow_id: follower.follow_id,
    inbox_url: move.to.inboxUrl,
    shared_inbox_url: move.to.sharedInboxUrl,
    handle: move.to.handle,
    name: move.to.name,
    url: move.to.url,
    icon_url: move.to.iconUrl,
    status: follower.status,
  });
  await deleteFollower(db, move.from);
  await insertNotification(db, { kind: "move", activity_id: move.activityId, actor_id: move.to.id, body: move.from });
  return true;
}

function blankToNull(text: string | null): string | null {
  return text === null || text.trim() === "" ? null : stripControls(text.trim());
}
