// Inbox listeners: small named handlers that distrust their input and never throw on bad data.
import type { Federation, InboxContext } from "@fedify/fedify";
import { Accept, Follow, isActor, Undo, type Actor } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { getAccount } from "../data/account.ts";
import { recordFollow, removeFollow } from "../followers.ts";
import type { GloseContext } from "./context.ts";

const logger = getLogger(["glose", "inbox"]);

export function registerInbox(federation: Federation<GloseContext>): void {
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .onError((_ctx, error) => {
      logger.error("Inbox listener failed: {error}", { error });
    })
    // Replies and boosts from servers in secure mode reach the shared inbox; fetching their
    // authors' keys there must be signed too.
    .setSharedKeyDispatcher(async (ctx) => {
      const account = await getAccount(ctx.data.db);
      return account === undefined ? null : { identifier: account.username };
    });
}

async function onFollow(ctx: InboxContext<GloseContext>, follow: Follow): Promise<void> {
  if (follow.id === null || follow.actorId === null || follow.objectId === null) return;
  const target = ctx.parseUri(follow.objectId);
  if (target?.type !== "actor") return;
  const account = await getAccount(ctx.data.db);
  if (account === undefined || account.username !== target.identifier) return;
  const follower = await follow.getActor(ctx);
  if (follower === null || !isActor(follower) || follower.id?.href !== follow.actorId.href) return;
  if (follower.inboxId === null) return;

  const outcome = await recordFollow(
    ctx.data.db,
    {
      actor_id: follower.id.href,
      follow_id: follow.id.href,
      inbox_url: follower.inboxId.href,
      shared_inbox_url: follower.endpoints?.sharedInbox?.href ?? null,
      handle: handleOf(follower),
      name: follower.name?.toString() ?? null,
      url: follower.url instanceof URL ? follower.url.href : (follower.url?.href?.href ?? null),
      icon_url: await iconUrl(ctx, follower),
    },
    account.locked,
  );
  logger.info("Follow from {follower}: {outcome}", { follower: follower.id.href, outcome });
  if (outcome !== "accepted") return;
  await ctx.sendActivity(
    { identifier: account.username },
    follower,
    new Accept({
      id: new URL(`#accepts/${crypto.randomUUID()}`, ctx.getActorUri(account.username)),
      actor: ctx.getActorUri(account.username),
      // The Follow as Mastodon sent it, with ids only: the actor we fetched stays out of it.
      object: new Follow({ id: follow.id, actor: follow.actorId, object: follow.objectId }),
    }),
  );
}

async function onUndo(ctx: InboxContext<GloseContext>, undo: Undo): Promise<void> {
  const object = await undo.getObject(ctx);
  if (!(object instanceof Follow)) return;
  // Only the follower may undo their follow; match by actor, since Mastodon's follower
  // synchronization sends an Undo whose Follow id we never saw.
  if (undo.actorId === null || object.actorId?.href !== undo.actorId.href) return;
  if (await removeFollow(ctx.data.db, undo.actorId.href)) {
    logger.info("Unfollowed by {follower}", { follower: undo.actorId.href });
  }
}

function handleOf(actor: Actor): string {
  const username = actor.preferredUsername?.toString() ?? "";
  return username === "" || actor.id === null ? (actor.id?.href ?? "") : `@${username}@${actor.id.host}`;
}

async function iconUrl(ctx: InboxContext<GloseContext>, actor: Actor): Promise<string | null> {
  try {
    const icon = await actor.getIcon(ctx);
    const url = icon?.url;
    return url instanceof URL ? url.href : (url?.href?.href ?? null);
  } catch {
    return null;
  }
}
