// Inbox listeners for conversations: replies (Create, Update, Delete of Notes), likes and boosts.
import type { InboxContext } from "@fedify/fedify";
import { Announce, Create, Delete, isActor, Like, Mention, Note, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import {
  deleteReply,
  editReply,
  forgetActor,
  recordMention,
  recordReaction,
  recordReply,
} from "../services/conversations.ts";
import { getAccount } from "../data/account.ts";
import { isBlocked } from "../data/blocks.ts";
import type { GloseContext } from "./context.ts";
import { describeActor, hrefOf, isPublic, languageOf, ownPostOf, threadOf } from "./remote.ts";

const logger = getLogger(["glose", "inbox"]);

/** Activities from blocked accounts and servers change nothing. */
export async function refused(ctx: InboxContext<GloseContext>, actorId: URL | null): Promise<boolean> {
  return actorId === null || (await isBlocked(ctx.data.db, actorId.href));
}

export async function onCreate(ctx: InboxContext<GloseContext>, create: Create): Promise<void> {
  if (await refused(ctx, create.actorId)) return;
  const note = await create.getObject(ctx);
  if (!(note instanceof Note) || note.id === null) return;
  // Only the author may post their own note, from their own server.
  if (note.attributionId?.href !== create.actorId!.href || note.id.origin !== create.actorId!.origin) return;
  const author = await create.getActor(ctx);
  if (author === null || !isActor(author) || author.id?.href !== create.actorId!.href) return;
  const actor = await describeActor(ctx, author);

  const postId = note.replyTargetId === null ? null : await threadOf(ctx, note.replyTargetId);
  if (postId === null) {
    if (await mentionsOwner(ctx, note)) await recordMention(ctx.data.db, actor, { id: note.id.href, contentHtml: note.content?.toString() ?? "" });
    return;
  }
  const stored = await recordReply(ctx.data.db, actor, {
    id: note.id.href,
    postId,
    inReplyTo: note.replyTargetId!.href,
    url: hrefOf(note.url),
    contentHtml: note.content?.toString() ?? "",
    summary: note.summary?.toString() ?? null,
    sensitive: note.sensitive ?? false,
    language: languageOf(note),
    public: isPublic(note),
    publishedAt: new Date(note.published?.epochMilliseconds ?? Date.now()),
  });
  if (stored) logger.info("Reply {id} from {actor} on post {post}", { id: note.id.href, actor: actor.id, post: postId });
}

export async function onUpdate(ctx: InboxContext<GloseContext>, update: Update): Promise<void> {
  if (await refused(ctx, update.actorId)) return;
  const note = await update.getObject(ctx);
  if (!(note instanceof Note) || note.id === null) return;
  const updated = note.updated ?? update.published;
  await editReply(ctx.data.db, update.actorId!.href, {
    id: note.id.href,
    contentHtml: note.content?.toString() ?? "",
    summary: note.summary?.toString() ?? null,
    sensitive: note.sensitive ?? false,
    language: languageOf(note),
    updatedAt: new Date(updated?.epochMilliseconds ?? Date.now()),
  });
}

export async function onDelete(ctx: InboxContext<GloseContext>, deletion: Delete): Promise<void> {
  const actorId = deletion.actorId;
  const objectId = deletion.objectId;
  if (actorId === null || objectId === null) return;
  // An account deleting itself: Delete { actor: X, object: X }.
  if (objectId.href === actorId.href) {
    await forgetActor(ctx.data.db, actorId.href);
    logger.info("Forgot the deleted account {actor}", { actor: actorId.href });
    return;
  }
  await deleteReply(ctx.data.db, actorId.href, objectId.href);
}

export async function onLike(ctx: InboxContext<GloseContext>, like: Like): Promise<void> {
  await react(ctx, like, "like");
}

export async function onAnnounce(ctx: InboxContext<GloseContext>, announce: Announce): Promise<void> {
  await react(ctx, announce, "announce");
}

async function react(ctx: InboxContext<GloseContext>, activity: Like | Announce, kind: "like" | "announce"): Promise<void> {
  if (activity.id === null || (await refused(ctx, activity.actorId))) return;
  const postId = await ownPostOf(ctx, activity.objectId);
  if (postId === null) return;
  const actor = await activity.getActor(ctx);
  if (actor === null || !isActor(actor) || actor.id?.href !== activity.actorId!.href) return;
  await recordReaction(ctx.data.db, await describeActor(ctx, actor), { activityId: activity.id.href, kind, postId });
}

async function mentionsOwner(ctx: InboxContext<GloseContext>, note: Note): Promise<boolean> {
  const account = await getAccount(ctx.data.db);
  if (account === undefined) return false;
  const owner = ctx.getActorUri(account.username).href;
  for await (const tag of note.getTags(ctx)) {
    if (tag instanceof Mention && tag.href?.href === owner) return true;
  }
  return [...note.toIds, ...note.ccIds].some((id) => id.href === owner);
}

