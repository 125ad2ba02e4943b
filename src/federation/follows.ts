// Answers to follow requests decided by the owner: Accept after approval, Reject on refusal
// or removal. Both embed the Follow as it was sent.
import type { Federation } from "@fedify/fedify";
import { Accept, Follow, Reject } from "@fedify/vocab";
import { getAccount } from "../data/account.ts";
import type { FollowerRow } from "../data/followers.ts";
import type { FollowerFederation } from "../services/moderation.ts";
import type { GloseContext } from "./context.ts";

export function createFollowerFederation(federation: Federation<GloseContext>, contextData: GloseContext): FollowerFederation {
  const answer = async (follower: FollowerRow, kind: "accept" | "reject") => {
    const account = await getAccount(contextData.db);
    if (account === undefined) return;
    const ctx = federation.createContext(new URL(contextData.config.origin), contextData);
    const actor = ctx.getActorUri(account.username);
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
    await ctx.sendActivity({ identifier: account.username }, recipient, kind === "accept" ? new Accept(values) : new Reject(values));
  };
  return {
    accept: (follower) => answer(follower, "accept"),
    reject: (follower) => answer(follower, "reject"),
  };
}
