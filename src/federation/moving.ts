// What account moves need from the fediverse: finding an account by its handle, and telling
// followers that the blog moved (Move, as Mastodon sends it, then their servers follow the new one).
import type { Federation } from "@fedify/fedify";
import { isActor, Move } from "@fedify/vocab";
import { getAccount } from "../data/account.ts";
import type { GloseContext } from "./context.ts";

export interface RemoteAccount {
  readonly id: string;
  /** The ids it lists in `alsoKnownAs`. */
  readonly aliases: readonly string[];
}

export interface MoveFederation {
  /** The account a handle (`@user@host`) or actor URL names, or null. */
  lookUp(handle: string): Promise<RemoteAccount | null>;
  /** The owner's actor id. */
  ownActorId(): Promise<string>;
  /** Sends Move(owner → target) to every follower. */
  sendMove(target: string): Promise<void>;
}

export function createMoveFederation(federation: Federation<GloseContext>, contextData: GloseContext): MoveFederation {
  const context = () => federation.createContext(new URL(contextData.config.origin), contextData);
  const username = async () => {
    const account = await getAccount(contextData.db);
    if (account === undefined) throw new Error("no account to move");
    return account.username;
  };
  return {
    async lookUp(handle) {
      const ctx = context();
      // Signed and never from the cache: an alias added a minute ago must be seen.
      const documentLoader = await ctx.getDocumentLoader({ identifier: await username() });
      const actor = await ctx
        .lookupObject(handle.trim(), { documentLoader, signal: AbortSignal.timeout(30_000) })
        .catch(() => null);
      if (actor === null || !isActor(actor) || actor.id === null) return null;
      return { id: actor.id.href, aliases: actor.aliasIds.map((alias) => alias.href) };
    },
    async ownActorId() {
      return context().getActorUri(await username()).href;
    },
    async sendMove(target) {
      const ctx = context();
      const identifier = await username();
      const actor = ctx.getActorUri(identifier);
      await ctx.sendActivity(
        { identifier },
        "followers",
        new Move({
          id: new URL(`#move-${Date.now()}`, actor),
          actor,
          object: actor,
          target: new URL(target),
          ccs: [ctx.getFollowersUri(identifier)],
        }),
        { preferSharedInbox: true },
      );
    },
  };
}
