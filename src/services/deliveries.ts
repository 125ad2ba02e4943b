// The owner's "retry" of a post's delivery to one server that failed.
import { getPostDelivery } from "../data/deliveries.ts";
import { getPost } from "../data/posts.ts";
import type { PublishingDeps } from "./publishing.ts";

export type RedeliveryError = "not-found" | "not-federated" | "unknown-inbox" | "not-failed" | "no-recipient";

/** Only an inbox the post was sent to, and which did not take it, is sent to again. */
export async function redeliverPost(
  deps: PublishingDeps,
  postId: string,
  inbox: string,
): Promise<{ ok: true } | { ok: false; error: RedeliveryError }> {
  const post = await getPost(deps.db, postId);
  if (post === undefined || post.deleted_at !== null || deps.federation.redelivered === undefined) return { ok: false, error: "not-found" };
  // A post made private since was withdrawn from other servers: it is not sent again.
  if (post.federated_at === null) return { ok: false, error: "not-federated" };
  const delivery = await getPostDelivery(deps.db, post.id, inbox);
  if (delivery === undefined) return { ok: false, error: "unknown-inbox" };
  if (delivery.status !== "failed" && delivery.status !== "gone") return { ok: false, error: "not-failed" };
  const sent = await deps.federation.redelivered(post, new URL(delivery.inbox));
  return sent ? { ok: true } : { ok: false, error: "no-recipient" };
}
