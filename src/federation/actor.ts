// The actors: the blog owner, a Person whose handle is @username@host, and each tag that can be
// followed (see tag-actor.ts), which signs with the owner's keys under its own key ids.
import type { ActorKeyPair, Federation } from "@fedify/fedify";
import { Image, Person, PropertyValue } from "@fedify/vocab";
import { Temporal } from "../temporal.ts";
import { getAccount, type AccountRow } from "../data/account.ts";
import type { GloseContext } from "./context.ts";
import { loadKeyPairs } from "./keys.ts";
import { escapeHtml, textToHtml } from "../content/index.ts";
import { findTagActor } from "../services/tag-actors.ts";
import { actorLinks, buildTagActor, localActor } from "./tag-actor.ts";

export const ACTOR_PATH = "/users/{identifier}";

export function registerActor(federation: Federation<GloseContext>): void {
  // Keys never change once made, so each process imports them once.
  let keyPairs: Promise<CryptoKeyPair[]> | undefined;
  // Their documents (the key exported as PEM and as multibase) too, per actor, once they exist.
  const actorKeys = new Map<string, ActorKeyPair[]>();

  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      const actor = await localActor(ctx.data.db, identifier);
      if (actor === undefined) return null;
      const keys = actorKeys.get(identifier) ?? (await ctx.getActorKeyPairs(identifier));
      if (keys.length > 0) actorKeys.set(identifier, keys);
      if (actor.kind === "tag") return buildTagActor(ctx, actor.tag, keys);
      const account = actor.account;
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: account.username,
        name: account.display_name || account.username,
        summary: account.summary === "" ? null : textToHtml(account.summary),
        url: new URL("/", ctx.canonicalOrigin),
        published: Temporal.Instant.from(account.created_at.toISOString()),
        manuallyApprovesFollowers: account.locked,
        discoverable: true,
        indexable: true,
        ...actorLinks(ctx, identifier, keys),
        icon: account.avatar_url ? new Image({ url: new URL(account.avatar_url) }) : null,
        image: account.header_url ? new Image({ url: new URL(account.header_url) }) : null,
        aliases: account.also_known_as.map((alias) => new URL(alias)),
        successor: account.moved_to === null ? null : new URL(account.moved_to),
        attachments: account.fields.map(
          (field) => new PropertyValue({ name: field.name, value: fieldValueHtml(field.value) }),
        ),
      });
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      if ((await localActor(ctx.data.db, identifier)) === undefined) return [];
      keyPairs ??= loadKeyPairs(ctx.data.db);
      return await keyPairs;
    })
    // Mastodon keeps the case a user typed (@Owner@host); usernames are stored in lowercase.
    .mapHandle(async (ctx, username) => {
      const account = await getAccount(ctx.data.db);
      const name = username.toLowerCase();
      if (account === undefined || account.username === name) return account?.username ?? null;
      return (await findTagActor(ctx.data.db, name))?.row.handle ?? null;
    });
}

/** The account if `identifier` names it. */
export async function ownerAccount(db: GloseContext["db"], identifier: string): Promise<AccountRow | undefined> {
  const account = await getAccount(db);
  return account?.username === identifier ? account : undefined;
}

/** A profile field's value: a lone URL becomes a link Mastodon can verify with rel="me". */
function fieldValueHtml(value: string): string {
  if (/^https?:\/\/\S+$/.test(value) && URL.canParse(value)) {
    const text = escapeHtml(value);
    return `<a href="${text}" rel="me nofollow noopener" target="_blank">${text}</a>`;
  }
  return escapeHtml(value);
}

