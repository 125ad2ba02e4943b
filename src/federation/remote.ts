// Reading what remote servers send: who an actor is, where a reply belongs, who may see it.
import type { Context } from "@fedify/fedify";
import { Note, PUBLIC_COLLECTION, type Actor, type Object as ApObject } from "@fedify/vocab";
import type { RemoteActor } from "../services/conversations.ts";
import { getPost } from "../data/posts.ts";
import { getReply } from "../data/replies.ts";
import type { GloseContext } from "./context.ts";
import { parseNoteId } from "./note-id.ts";

export async function describeActor(ctx: Context<GloseContext>, actor: Actor): Promise<RemoteActor> {
  const id = actor.id!.href;
  const username = actor.preferredUsername?.toString() ?? "";
  let iconUrl: string | null = null;
  try {
    const icon = await actor.getIcon(ctx);
    iconUrl = hrefOf(icon?.url ?? null);
  } catch {
    // A broken avatar is no reason to refuse a reply.
  }
  return {
    id,
    handle: username === "" ? id : `@${username}@${actor.id!.host}`,
    name: actor.name?.toString() ?? null,
    url: hrefOf(actor.url),
    iconUrl: iconUrl !== null && /^https?:/.test(iconUrl) ? iconUrl : null,
    inboxUrl: actor.inboxId?.href ?? null,
    sharedInboxUrl: actor.endpoints?.sharedInbox?.href ?? null,
  };
}

export function hrefOf(url: URL | { href: URL | null } | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  if (url instanceof URL) return url.href;
  return url.href?.href ?? null;
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

/** The post an activity (a Like, an Announce) is about, if it is one of ours. */
export async function ownPostOf(ctx: Context<GloseContext>, objectId: URL | null): Promise<string | null> {
  if (objectId === null) return null;
  const parsed = ctx.parseUri(objectId);
  if (parsed?.type !== "object" || parsed.class !== Note) return null;
  const post = await getPost(ctx.data.db, parseNoteId(parsed.values.id ?? "").postId);
  return post === undefined || post.deleted_at !== null || post.visibility === "private" ? null : post.id;
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
