// Resolving the `@user@server` handles of a commentary when the post is saved: WebFinger, then
// the actor document, through Fedify (so ALLOW_PRIVATE_ADDRESS applies as to every fetch).
import type { Context, Federation } from "@fedify/fedify";
import { isActor, type Actor } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { ResolvedMention } from "../content/index.ts";
import { absoluteHref, WEB } from "../content/urls.ts";
import { getAccount } from "../data/account.ts";
import type { GloseContext } from "./context.ts";
import { hrefOf } from "./remote.ts";

const logger = getLogger(["glose", "mentions"]);

/** How long the handles of one post may take to resolve, all together. */
export const MENTION_TIMEOUT_MS = 5_000;
/** More handles than this in one commentary stay text. */
export const MAX_MENTIONS = 20;

export type MentionResolver = (handles: readonly string[]) => Promise<ResolvedMention[]>;

export function createMentionResolver(federation: Federation<GloseContext>, contextData: GloseContext): MentionResolver {
  return async (handles) => {
    const ctx = federation.createContext(new URL(contextData.config.origin), contextData);
    const signal = AbortSignal.timeout(MENTION_TIMEOUT_MS);
    const resolved = await Promise.all(
      handles.slice(0, MAX_MENTIONS).map((handle) =>
        resolveHandle(ctx, handle, signal).catch((error: unknown) => {
          logger.info("Could not resolve {handle}: {error}", { handle, error });
          return null;
        }),
      ),
    );
    return resolved.filter((mention) => mention !== null);
  };
}

async function resolveHandle(ctx: Context<GloseContext>, handle: string, signal: AbortSignal): Promise<ResolvedMention | null> {
  const [, username = "", host = ""] = handle.split("@");
  if (host.toLowerCase() === new URL(ctx.canonicalOrigin).host) return await ownerMention(ctx, username, host);
  const actor = await ctx.lookupObject(handle, { signal });
  if (!isActor(actor) || actor.id === null || actor.inboxId === null) return null;
  if (!(await vouchedFor(ctx, actor, username, host, signal))) return null;
  const inbox = absoluteHref(actor.inboxId.href, WEB);
  if (inbox === null) return null;
  const sharedInbox = hrefOf(actor.endpoints?.sharedInbox);
  const profileUrl = absoluteHref(hrefOf(actor.url) ?? "", WEB) ?? actor.id.href;
  return {
    handle: `@${username}@${host.toLowerCase()}`,
    actorId: actor.id.href,
    profileUrl,
    inbox,
    sharedInbox: sharedInbox === null ? null : absoluteHref(sharedInbox, WEB),
  };
}

/** The owner mentioning themselves: a link and a Mention, but nothing to deliver. */
async function ownerMention(ctx: Context<GloseContext>, username: string, host: string): Promise<ResolvedMention | null> {
  const account = await getAccount(ctx.data.db);
  if (account === undefined || account.username !== username.toLowerCase()) return null;
  const actorId = ctx.getActorUri(account.username).href;
  return { handle: `@${account.username}@${host.toLowerCase()}`, actorId, profileUrl: new URL("/", ctx.canonicalOrigin).href, inbox: null, sharedInbox: null };
}

/**
 * The server named in the handle speaks for its own host only. An actor elsewhere (a handle on
 * example.com served by social.example.com) counts only if its own server's WebFinger gives it
 * this handle, as Mastodon checks.
 */
async function vouchedFor(ctx: Context<GloseContext>, actor: Actor, username: string, host: string, signal: AbortSignal): Promise<boolean> {
  const actorHost = actor.id!.host;
  if (actorHost === host.toLowerCase()) return true;
  const preferred = actor.preferredUsername?.toString();
  if (preferred === undefined) return false;
  const descriptor = await ctx.lookupWebFinger(`acct:${preferred}@${actorHost}`, { signal });
  const self = descriptor?.links?.find((link) => link.rel === "self" && link.href === actor.id!.href);
  return self !== undefined && descriptor?.subject?.toLowerCase() === `acct:${username}@${host}`.toLowerCase();
}
