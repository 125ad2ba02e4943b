// A tag's actor: a Service (Mastodon shows it as an automated account and follows it like any
// other; a Group would invite posts to it, which it never relays), named after the owner and the
// tag, with the owner's avatar, and linking to the tag's page.
import type { ActorKeyPair, Context } from "@fedify/fedify";
import { Endpoints, Image, Service } from "@fedify/vocab";
import { escapeHtml } from "../content/index.ts";
import { getAccount, type AccountRow } from "../data/account.ts";
import { findTagActor, type TagActor } from "../services/tag-actors.ts";
import type { GloseContext } from "./context.ts";
import { tagUrl } from "./note.ts";

export type LocalActor = { kind: "owner"; account: AccountRow } | { kind: "tag"; tag: TagActor };

/** Who an actor identifier names: the owner, a tag that can be followed, or nobody. */
export async function localActor(db: GloseContext["db"], identifier: string): Promise<LocalActor | undefined> {
  const account = await getAccount(db);
  if (account?.username === identifier) return { kind: "owner", account };
  const tag = await findTagActor(db, identifier);
  return tag === undefined ? undefined : { kind: "tag", tag };
}

export function buildTagActor(ctx: Context<GloseContext>, { account, row }: TagActor, keys: readonly ActorKeyPair[]): Service {
  const ownerName = account.display_name || account.username;
  const page = tagUrl(ctx.canonicalOrigin, row.tag);
  const handle = row.handle;
  return new Service({
    id: ctx.getActorUri(handle),
    preferredUsername: handle,
    name: `${ownerName} — #${row.tag}`,
    summary: `<p>${escapeHtml(`The posts of ${ownerName} tagged #${row.tag}, boosted as they are published.`)} <a href="${escapeHtml(page.href)}">${escapeHtml(page.href)}</a></p>`,
    url: page,
    manuallyApprovesFollowers: account.locked,
    discoverable: true,
    indexable: true,
    ...actorLinks(ctx, handle, keys),
    icon: account.avatar_url ? new Image({ url: new URL(account.avatar_url) }) : null,
  });
}

/** What every local actor has: its collections, its inboxes and its keys. */
export function actorLinks(ctx: Context<GloseContext>, identifier: string, keys: readonly ActorKeyPair[]) {
  return {
    inbox: ctx.getInboxUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    following: ctx.getFollowingUri(identifier),
    featured: ctx.getFeaturedUri(identifier),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((key) => key.multikey),
  };
}
