// Inbox listeners: small named handlers that distrust their input and never throw on bad data.
// Fedify has verified each activity's signature before any of them runs.
import type { Federation, InboxContext } from "@fedify/fedify";
import { Accept, type Activity, Announce, Block, Create, Delete, EmojiReact, Flag, Follow, isActor, Like, Move, QuoteRequest, Undo, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { forgetActor, moveFollower, recordRemoteBlock, recordReport, undoReaction } from "../services/conversations.ts";
import { getAccount } from "../data/account.ts";
import { recordFollow, removeFollow } from "../services/followers.ts";
import { recordTagFollow, removeTagFollow } from "../services/tag-actors.ts";
import type { GloseContext } from "./context.ts";
import { onAnnounce, onCreate, onDelete, onEmojiReact, onLike, onUpdate, reactionKind, refused } from "./inbox-conversation.ts";
import { onQuoteRequest } from "./quotes.ts";
import { movedFrom } from "./moved-followers.ts";
import { isRemoteDocumentFailure } from "./remote-input.ts";
import { describeActor, ownPostOf } from "./remote.ts";
import { localActor } from "./tag-actor.ts";

const logger = getLogger(["glose", "inbox"]);

export function registerInbox(federation: Federation<GloseContext>): void {
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, settled(onFollow))
    .on(Undo, settled(onUndo))
    .on(Create, settled(onCreate))
    .on(Update, settled(onUpdate))
    .on(Delete, settled(onDelete))
    .on(Like, settled(onLike))
    .on(EmojiReact, settled(onEmojiReact))
    .on(Announce, settled(onAnnounce))
    .on(QuoteRequest, settled(onQuoteRequest))
    .on(Move, settled(onMove))
    .on(Block, settled(onBlock))
    .on(Flag, settled(onFlag))
    .onError((_ctx, error) => {
      logger.error("Inbox listener failed: {error}", { error });
    })
    // A deleted account's key answers 410, so its own Delete cannot be verified: accept that
    // one case, as Mastodon does, when the key's server itself says the account is gone.
    .onUnverifiedActivity(async (ctx, activity, reason) => {
      if (!(activity instanceof Delete) || reason.type !== "keyFetchError") return;
      const actorId = activity.actorId;
      if (actorId === null || activity.objectId?.href !== actorId.href) return;
      if (reason.keyId.origin !== actorId.origin || !("status" in reason.result) || reason.result.status !== 410) return;
      await forgetActor(ctx.data.db, actorId.href);
      return new Response(null, { status: 202 });
    })
    // Replies and boosts from servers in secure mode reach the shared inbox; fetching their
    // authors' keys there must be signed too.
    .setSharedKeyDispatcher((ctx) => inboxKeyIdentity(ctx.data));
}

/** Whose key signs the fetches of the keys of incoming activities: the owner's. */
export async function inboxKeyIdentity(data: GloseContext): Promise<{ identifier: string } | null> {
  // Asked for every incoming activity: ACCOUNT names the owner without a query.
  if (data.config.account !== null) return { identifier: data.config.account };
  const account = await getAccount(data.db);
  return account === undefined ? null : { identifier: account.username };
}

/**
 * A listener whose activity is dropped, not retried, when what it names cannot be fetched or read:
 * Fedify would retry it for hours and it could never succeed. Glose's own failures (the database)
 * still throw, and are retried.
 */
function settled<T extends Activity>(listener: (ctx: InboxContext<GloseContext>, activity: T) => Promise<void>) {
  return async (ctx: InboxContext<GloseContext>, activity: T): Promise<void> => {
    try {
      await listener(ctx, activity);
    } catch (error) {
      if (!isRemoteDocumentFailure(error)) throw error;
      logger.info("Dropped {activity}: {error}", { activity: activity.id?.href, error: error instanceof Error ? error.message : String(error) });
    }
  };
}

async function onFollow(ctx: InboxContext<GloseContext>, follow: Follow): Promise<void> {
  if (follow.id === null || follow.objectId === null || (await refused(ctx, follow.actorId))) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor") return;
  // The owner, or a tag that can be followed.
  const followed = await localActor(ctx.data.db, target.identifier);
  if (followed === undefined) return;
  const follower = await follow.getActor(ctx);
  if (follower === null || !isActor(follower) || follower.id?.href !== follow.actorId!.href) return;
  if (follower.inboxId === null) return;

  const actor = await describeActor(ctx, follower);
  if (actor.inboxUrl === null) {
    logger.info("Refused a follow from {follower}: its inbox is not a public http(s) URL", { follower: actor.id });
    return;
  }
  const outcome =
    followed.kind === "owner"
      ? await recordFollow(ctx.data.db, actor, follow.id.href, followed.account.locked, await movedFrom(ctx, followed.account))
      : await recordTagFollow(ctx.data.db, followed.tag, actor, follow.id.href);
  logger.info("Follow of {target} from {follower}: {outcome}", { target: target.identifier, follower: actor.id, outcome });
  if (outcome !== "accepted") return;
  await ctx.sendActivity(
    { identifier: target.identifier },
    follower,
    new Accept({
      id: new URL(`#accepts/${crypto.randomUUID()}`, ctx.getActorUri(target.identifier)),
      actor: ctx.getActorUri(target.identifier),
      // The Follow as Mastodon sent it, with ids only: the actor we fetched stays out of it.
      object: new Follow({ id: follow.id, actor: follow.actorId, object: follow.objectId }),
    }),
  );
}

async function onUndo(ctx: InboxContext<GloseContext>, undo: Undo): Promise<void> {
  const actorId = undo.actorId;
  if (actorId === null) return;
  const object = await undo.getObject(ctx).catch(() => null);
  // Only the author of an activity may undo it: whatever the Undo names, it only ever removes
  // the undoing actor's own follow or reaction (matched by that actor below).
  if (object instanceof Follow) {
    const target = object.objectId === null ? null : ctx.parseUri(object.objectId);
    const account = await getAccount(ctx.data.db);
    if (target?.type === "actor" && account !== undefined && target.identifier !== account.username) {
      if (await removeTagFollow(ctx.data.db, target.identifier, actorId.href)) logger.info("{follower} unfollowed {tag}", { follower: actorId.href, tag: target.identifier });
      return;
    }
    // Matched by actor: Mastodon's follower synchronization sends Follow ids we never saw.
    if (await removeFollow(ctx.data.db, actorId.href)) logger.info("Unfollowed by {follower}", { follower: actorId.href });
  } else if (object instanceof Like || object instanceof Announce || object instanceof EmojiReact) {
    const kind = reactionKind(object);
    // An emoji reaction is matched by its id only: one person may have given several.
    const postId = kind === "emoji" ? null : await ownPostOf(ctx, object.objectId);
    await undoReaction(ctx.data.db, { activityId: object.id?.href ?? null, kind, actorId: actorId.href, postId });
  } else if (undo.objectId !== null) {
    // The undone activity was not embedded and cannot be fetched: match its id.
    for (const kind of ["like", "announce", "emoji"] as const) {
      await undoReaction(ctx.data.db, { activityId: undo.objectId.href, kind, actorId: actorId.href, postId: null });
    }
  }
}

async function onMove(ctx: InboxContext<GloseContext>, move: Move): Promise<void> {
  const from = move.actorId;
  if (move.id === null || from === null || move.objectId?.href !== from.href || move.targetId === null) return;
  if (await refused(ctx, move.targetId)) return;
  const target = await move.getTarget(ctx);
  // The new account must claim the old one, or anybody could steal followers.
  if (target === null || !isActor(target) || target.id?.href !== move.targetId.href) return;
  if (!target.aliasIds.some((alias) => alias.href === from.href)) return;
  await moveFollower(ctx.data.db, { activityId: move.id.href, from: from.href, to: await describeActor(ctx, target) });
}

async function onBlock(ctx: InboxContext<GloseContext>, block: Block): Promise<void> {
  if (block.id === null || block.actorId === null || block.objectId === null) return;
  if (ctx.parseUri(block.objectId)?.type !== "actor") return;
  await recordRemoteBlock(ctx.data.db, { activityId: block.id.href, actorId: block.actorId.href });
}

async function onFlag(ctx: InboxContext<GloseContext>, flag: Flag): Promise<void> {
  if (flag.id === null || flag.actorId === null || (await refused(ctx, flag.actorId))) return;
  await recordReport(ctx.data.db, {
    activityId: flag.id.href,
    actorId: flag.actorId.href,
    content: flag.content?.toString() ?? "",
    objects: flag.objectIds.map((id) => id.href),
  });
}
