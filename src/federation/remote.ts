// Reading what remote servers send: who an actor is, where a reply belongs, who may see it.
import type { Context } from "@fedify/fedify";
import { isActor, Note, PUBLIC_COLLECTION, type Activity, type Actor, type Object as ApObject } from "@fedify/vocab";
import { rememberActor, type RemoteActor } from "../services/conversations.ts";
import { getPost } from "../data/posts.ts";
import { ANONYMOUS, maySee } from "../services/visibility.ts";
import { getRemoteActor } from "../data/remote-actors.ts";
import { getReply } from "../data/replies.ts";
import type { GloseContext } from "./context.ts";
import { parseNoteId } from "./note-id.ts";
import { takingLoader } from "./shared-fetches.ts";
import { checkedRemoteUrl, emojisOf, fieldsOf, hrefOf } from "./remote-media.ts";

export { hrefOf };

/** How long a stored actor is used as is; an Update of the actor refreshes it at once. */
export const ACTOR_FRESH_FOR_MS = 24 * 60 * 60 * 1000;

export async function describeActor(ctx: Context<GloseContext>, actor: Actor): Promise<RemoteActor> {
  const id = actor.id!.href;
  const username = actor.preferredUsername?.toString() ?? "";
  let iconUrl: string | null = null;
  try {
    const icon = await actor.getIcon(ctx);
    iconUrl = await checkedRemoteUrl(hrefOf(icon?.url ?? null), ctx.data.config.allowPrivateAddress);
  } catch {
    // A broken avatar is no reason to refuse a reply.
  }
  const checked = (url: string | null) => checkedRemoteUrl(url, ctx.data.config.allowPrivateAddress);
  return {
    id,
    handle: username === "" ? id : `@${username}@${actor.id!.host}`,
    name: actor.name?.toString() ?? null,
    url: await checked(hrefOf(actor.url)),
    iconUrl,
    // Never an inbox on a private address or another scheme: Glose would POST signed requests there.
    inboxUrl: await checked(actor.inboxId?.href ?? null),
    sharedInboxUrl: await checked(actor.endpoints?.sharedInbox?.href ?? null),
    emojis: await emojisOf(ctx, actor),
    fields: await fieldsOf(ctx, actor),
  };
}

/**
 * The author of an activity: the stored copy while it is fresh, else fetched (the fetched actor
 * must be the very one named) and stored. Null when it cannot be known.
 */
export async function actorOf(ctx: Context<GloseContext>, activity: Activity): Promise<RemoteActor | null> {
  const actorId = activity.actorId;
  if (actorId === null) return null;
  // An actor's first activities often arrive together: one fetch serves them all.
  let underWay = actorsUnderWay.get(ctx.data.db);
  if (underWay === undefined) actorsUnderWay.set(ctx.data.db, (underWay = new Map()));
  let found = underWay.get(actorId.href);
  if (found === undefined) {
    const lookUps = underWay;
    found = knownOrFetched(ctx, activity, actorId).finally(() => lookUps.delete(actorId.href));
    lookUps.set(actorId.href, found);
  }
  return await found;
}

/** Look-ups of actors under way in this process, by database and actor id. */
const actorsUnderWay = new WeakMap<object, Map<string, Promise<RemoteActor | null>>>();

async function knownOrFetched(ctx: Context<GloseContext>, activity: Activity, actorId: URL): Promise<RemoteActor | null> {
  const stored = await getRemoteActor(ctx.data.db, actorId.href);
  if (stored !== undefined && Date.now() - stored.refreshed_at.getTime() < ACTOR_FRESH_FOR_MS) {
    return {
      id: stored.id,
      handle: stored.handle,
      name: stored.name,
      url: stored.url,
      iconUrl: stored.icon_url,
      inboxUrl: stored.inbox_url,
      sharedInboxUrl: stored.shared_inbox_url,
      emojis: stored.emojis,
      fields: stored.fields,
    };
  }
  // Most often fetched a moment ago, for the key of the activity's signature.
  const actor = await activity.getActor({ documentLoader: takingLoader(ctx.documentLoader), contextLoader: ctx.contextLoader }).catch(() => null);
  if (actor === null || !isActor(actor) || actor.id?.href !== actorId.href) return null;
  const described = await describeActor(ctx, actor);
  await rememberActor(ctx.data.db, described);
  return described;
}

/** The post a reply belongs to: replying to a post, or to a reply under one. */
export async function threadOf(ctx: Context<GloseContext>, inReplyTo: URL): Promise<string | null> {
  const parsed = ctx.parseUri(inReplyTo);
  if (parsed?.type === "object" && parsed.class === Note) {
    const post = await getPost(ctx.data.db, parseNoteId(parsed.values.id ?? "").postId);
    if (post === undefined || post.deleted_at !== null || post.visibility === "private") return null;
    return post.id;
  }
  const reply = await getReply(ctx.data.db, inReplyTo.href);
  return reply === undefined || reply.deleted_at !== null ? null : reply.post_id;
}

/**
 * The post an activity (a Like, an Announce, a quote) is about, if it is one of ours. Only public
 * and unlisted posts may be quoted, as on Mastodon.
 */
export async function ownPostOf(ctx: Context<GloseContext>, objectId: URL | null, options: { quotable?: boolean } = {}): Promise<string | null> {
  if (objectId === null) return null;
  const parsed = ctx.parseUri(objectId);
  if (parsed?.type !== "object" || parsed.class !== Note) return null;
  const post = await getPost(ctx.data.db, parseNoteId(parsed.values.id ?? "").postId);
  if (post === undefined || post.deleted_at !== null || post.visibility === "private") return null;
  // Quotable: what anyone may see.
  if (options.quotable && !maySee(post, ANONYMOUS)) return null;
  return post.id;
}

/** Mastodon's rule: only what is addressed to Public (in to or cc) is public. */
export function isPublic(object: ApObject): boolean {
  return [...object.toIds, ...object.ccIds].some((id) => id.href === PUBLIC_COLLECTION.href);
}

/** The language of the first contentMap entry, as Mastodon reads it. */
export function languageOf(note: Note): string | null {
  for (const content of note.contents) {
    if (typeof content !== "string") return content.locale.baseName;
  }
  return null;
}
