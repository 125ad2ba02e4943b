// URLs other servers give (links, inboxes, avatars, custom emoji, attachments) and profile
// fields: each URL checked before Glose stores, shows or contacts it.
import type { Context } from "@fedify/fedify";
import { Audio, Document, Emoji, Image, PropertyValue, Video, type Actor, type Object as ApObject } from "@fedify/vocab";
import { validatePublicUrl } from "@fedify/vocab-runtime";
import type { ProfileField, RemoteAttachment, RemoteEmoji } from "../../db/schema.ts";
import { SHORTCODE } from "../content/index.ts";
import type { GloseContext } from "./context.ts";

const MAX_EMOJIS = 50;
const MAX_ATTACHMENTS = 8;
const MAX_FIELDS = 8;

/** The http(s) URL of a `url` property (a URL or a Link), or null: no `javascript:` or `data:` link. */
export function hrefOf(url: URL | { href: URL | null } | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  const href = url instanceof URL ? url : url.href;
  return href !== null && (href.protocol === "https:" || href.protocol === "http:") ? href.href : null;
}

/** How embedded objects are read: with the context's loaders, and a broken one skipped. */
function loaders(ctx: Context<GloseContext>) {
  return { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true };
}

/**
 * An http(s) URL that is not on a private address (unless ALLOW_PRIVATE_ADDRESS), or null: what
 * every URL taken from a remote document goes through before Glose stores, shows or contacts it.
 */
export async function checkedRemoteUrl(url: string | null, allowPrivateAddress: boolean): Promise<string | null> {
  if (url === null || !URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  if (!allowPrivateAddress) {
    try {
      await validatePublicUrl(parsed.href);
    } catch {
      return null;
    }
  }
  return parsed.href;
}

/** The custom emoji an object (a Note, an actor, a reaction) names in its tags. */
export async function emojisOf(ctx: Context<GloseContext>, object: ApObject): Promise<RemoteEmoji[]> {
  const emojis: RemoteEmoji[] = [];
  try {
    for await (const tag of object.getTags(loaders(ctx))) {
      if (emojis.length >= MAX_EMOJIS) break;
      if (!(tag instanceof Emoji)) continue;
      const name = tag.name?.toString() ?? "";
      if (!SHORTCODE.test(name) || emojis.some((emoji) => emoji.name === name)) continue;
      const icon = await tag.getIcon(loaders(ctx));
      const url = await checkedRemoteUrl(hrefOf(icon?.url ?? null), ctx.data.config.allowPrivateAddress);
      if (url !== null) emojis.push({ name, url });
    }
  } catch {
    // Broken tags are no reason to refuse the rest.
  }
  return emojis;
}

/** A reply's pictures and files, with their alt text (`name`), as Mastodon and Misskey send them. */
export async function attachmentsOf(ctx: Context<GloseContext>, object: ApObject): Promise<RemoteAttachment[]> {
  const attachments: RemoteAttachment[] = [];
  try {
    for await (const item of object.getAttachments(loaders(ctx))) {
      if (attachments.length >= MAX_ATTACHMENTS) break;
      if (!(item instanceof Document || item instanceof Image || item instanceof Video || item instanceof Audio)) continue;
      const url = await checkedRemoteUrl(hrefOf(item.url), ctx.data.config.allowPrivateAddress);
      if (url === null) continue;
      const name = item.name?.toString().trim().slice(0, 1500) || null;
      attachments.push({ url, mediaType: item.mediaType ?? null, name });
    }
  } catch {
    // As for tags: keep what could be read.
  }
  return attachments;
}

/** An actor's profile fields (PropertyValue attachments), values still to be sanitized. */
export async function fieldsOf(ctx: Context<GloseContext>, actor: Actor): Promise<ProfileField[]> {
  const fields: ProfileField[] = [];
  try {
    for await (const item of actor.getAttachments(loaders(ctx))) {
      if (fields.length >= MAX_FIELDS) break;
      if (!(item instanceof PropertyValue)) continue;
      fields.push({ name: item.name?.toString().slice(0, 255) ?? "", value: item.value?.toString().slice(0, 2048) ?? "" });
    }
  } catch {
    // As for tags.
  }
  return fields;
}
