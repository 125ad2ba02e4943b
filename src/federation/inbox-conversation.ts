// Inbox listeners for conversations: replies (Create, Update, Delete of Notes), likes, boosts,
// emoji reactions, and Updates of the accounts behind them.
import type { InboxContext } from "@fedify/fedify";
import { Announce, Create, Delete, EmojiReact, isActor, Like, Mention, Note, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { SHORTCODE } from "../content/index.ts";
import {
  deleteReply,
  editReply,
  forgetActor,
  recordMention,
  recordReaction,
  recordReply,
  rememberActor,
} from "../services/conversations.ts";
import { forgetQuote } from "../services/quotes.ts";
import { getAccount } from "../data/account.ts";
import { isBlocked } from "../data/blocks.ts";
import type { GloseContext } from "./context.ts";
import { recordPlainQuote } from "./quotes.ts";
import { actorOf, describeActor, hrefOf, isPublic, languageOf, ownPostOf, threadOf } from "./remote.ts";
import { attachmentsOf, checkedRemoteUrl, emojisOf } from "./remote-media.ts";

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
  const actor = await actorOf(ctx, create);
  if (actor === null) return;

  const postId = note.replyTargetId === null ? null : await threadOf(ctx, note.replyTargetId);
  if (postId === null) {
    if (note.quoteUrl !== null || note.quoteId !== null) await recordPlainQuote(ctx, actor, note);
    else if (await mentionsOwner(ctx, note)) await recordMention(ctx.data.db, actor, { id: note.id.href, contentHtml: note.content?.toString() ?? "" });
    return;
  }
  const stored = await recordReply(ctx.data.db, actor, {
    id: note.id.href,
    postId,
    inReplyTo: note.replyTargetId!.href,
    url: await checkedRemoteUrl(hrefOf(note.url), ctx.data.config.allowPrivateAddress),
    contentHtml: note.content?.toString() ?? "",
    summary: note.summary?.toString() ?? null,
    // Fedify passes a non-boolean `sensitive` ("yes", 1) through as it came.
    sensitive: note.sensitive === true,
    language: languageOf(note),
    public: isPublic(note),
    publishedAt: new Date(note.published?.epochMilliseconds ?? Date.now()),
    emojis: await emojisOf(ctx, note),
    attachments: await attachmentsOf(ctx, note),
  });
  if (stored) logger.info("Reply {id} from {actor} on post {post}", { id: note.id.href, actor: actor.id, post: postId });
}

export async function onUpdate(ctx: InboxContext<GloseContext>, update: Update): Promise<void> {
  if (await refused(ctx, update.actorId)) return;
  const object = await update.getObject(ctx);
  // An account's new name, avatar or fields: only from that very account (whose signature Fedify checked).
  if (isActor(object)) {
    if (object.id?.href !== update.actorId!.href) return;
    await rememberActor(ctx.data.db, await describeActor(ctx, object));
    logger.info("Updated the account {actor}", { actor: object.id.href });
    return;
  }
  if (!(object instanceof Note) || object.id === null) return;
  const updated = object.updated ?? update.published;
  await editReply(ctx.data.db, update.actorId!.href, {
    id: object.id.href,
    contentHtml: object.content?.toString() ?? "",
    summary: object.summary?.toString() ?? null,
    sensitive: object.sensitive === true,
    language: languageOf(object),
    emojis: await emojisOf(ctx, object),
    attachments: await attachmentsOf(ctx, object),
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
  await forgetQuote(ctx.data.db, actorId.href, objectId.href);
}

export async function onLike(ctx: InboxContext<GloseContext>, like: Like): Promise<void> {
  await react(ctx, like);
}

export async function onEmojiReact(ctx: InboxContext<GloseContext>, reaction: EmojiReact): Promise<void> {
  await react(ctx, reaction);
}

export async function onAnnounce(ctx: InboxContext<GloseContext>, announce: Announce): Promise<void> {
  await react(ctx, announce);
}

/** What a Like or EmojiReact carries: Misskey's Like with content ":blobcat:" or "🎉" is a reaction. */
export function reactionKind(activity: Like | Announce | EmojiReact): "like" | "announce" | "emoji" {
  if (activity instanceof Announce) return "announce";
  if (activity instanceof EmojiReact) return "emoji";
  return (activity.content?.toString().trim() ?? "") === "" ? "like" : "emoji";
}

const UNICODE_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)[\p{Extended_Pictographic}\p{Emoji_Component}\p{Regional_Indicator}\u200D\uFE0F\u20E3]*$/u;

async function react(ctx: InboxContext<GloseContext>, activity: Like | Announce | EmojiReact): Promise<void> {
  if (activity.id === null || (await refused(ctx, activity.actorId))) return;
  const postId = await ownPostOf(ctx, activity.objectId);
  if (postId === null) return;
  const kind = reactionKind(activity);
  let emoji: { name: string; url: string | null } | undefined;
  if (kind === "emoji") {
    const name = activity.content?.toString().trim() ?? "";
    if (SHORTCODE.test(name)) {
      const custom = (await emojisOf(ctx, activity)).find((item) => item.name === name);
      emoji = { name, url: custom?.url ?? null };
    } else if (name.length <= 32 && UNICODE_EMOJI.test(name)) {
      emoji = { name, url: null };
    } else {
      return;
    }
  }
  const actor = await actorOf(ctx, activity);
  if (actor === null) return;
  await recordReaction(ctx.data.db, actor, { activityId: activity.id.href, kind, postId, emoji });
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
