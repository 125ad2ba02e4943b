// Answers to follow requests decided by the owner: Accept after approval, Reject on refusal
// or removal, from the owner or from the tag actor that was followed. Both embed the Follow as
// it was sent.
import type { Federation } from "@fedify/fedify";
import { Accept, Follow, Reject } from "@fedify/vocab";
import { getAccount } from "../data/account.ts";
import type { FollowerRow } from "../data/followers.ts";
import type { TagFollowerRow } from "../data/tag-actors.ts";
import type { FollowerFederation } from "../services/moderation.ts";
import type { TagFollowerFederation } from "../services/tag-actors.ts";
import type { GloseContext } from "./context.ts";

type Answer = (identifier: string, follower: FollowerRow | TagFollowerRow, kind: "accept" | "reject") => Promise<void>;

function answerer(federation: Federation<GloseContext>, contextData: GloseContext): Answer {
  return async (identifier, follower, kind) => {
    const ctx = federation.createContext(new URL(contextData.config.origin), contextData);
    const actor = ctx.getActorUri(identifier);
    const values = {
      id: new URL(`#${kind}s/${crypto.randomUUID()}`, actor),
      actor,
      object: new Follow({ id: new URL(follower.follow_id), actor: new URL(follower.actor_id), object: actor }),
    };
    const recipient = {
      id: new URL(follower.actor_id),
      inboxId: new URL(follower.inbox_url),
      endpoints: follower.shared_inbox_url === null ? null : { sharedInbox: new URL(follower.shared_inbox_url) },
    };
    await ctx.sendActivity({ identifier }, recipient, kind === "accept" ? new Accept(values) : new Reject(values));
  };
}

export function createFollowerFederation(federation: Federation<GloseContext>, contextData: GloseContext): FollowerFederation {
  const answer = answerer(federation, contextData);
  const asOwner = async (follower: FollowerRow, kind: "accept" | "reject") => {
    const account = await getAccount(contextData.db);
    if (account !== undefined) await answer(account.username, follower, kind);
  };
  return {
    accept: (follower) => asOwner(follower, "accept"),
    reject: (follower) => asOwner(follower, "reject"),
  };
}

export function createTagFollowerFederation(federation: Federation<GloseContext>, contextData: GloseContext): TagFollowerFederation {
  const answer = answerer(federation, contextData);
  return {
    accept: (follower) => answer(follower.handle, follower, "accept"),
    reject: (follower) => answer(follower.handle, follower, "reject"),
  };
}
