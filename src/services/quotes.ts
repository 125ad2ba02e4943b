// Quotes of the owner's posts: Mastodon's (a QuoteRequest answered by an authorization, FEP-044f)
// and Misskey's (a post that simply names ours). The owner's policy decides: at once, by hand,
// or never; an accepted quote can be revoked later.
import type { QuotePolicy } from "../../db/schema.ts";
import { sanitizeRemoteHtml } from "../content/index.ts";
import type { Db } from "../data/client.ts";
import { updateAccount } from "../data/account.ts";
import { insertNotification } from "../data/notifications.ts";
import { getQuote, insertQuote, setQuoteStatus, type QuoteRow } from "../data/quotes.ts";
import type { RemoteActor } from "./conversations.ts";

/** What the quoting servers are told; implemented by federation/quotes.ts. */
export interface QuoteFederation {
  /** Accept, with the quote's authorization as its result. */
  accept(quote: QuoteRow): Promise<void>;
  reject(quote: QuoteRow): Promise<void>;
  /** Delete of the authorization. */
  revoke(quote: QuoteRow): Promise<void>;
}

export interface QuoteDeps {
  readonly db: Db;
  readonly federation: QuoteFederation;
}

export interface IncomingQuote {
  /** The quoting post. */
  readonly id: string;
  readonly postId: string;
  /** The quoted Note's id, as named by the quoting server. */
  readonly targetId: string;
  readonly url: string | null;
  readonly contentHtml: string;
  /** The QuoteRequest; null when the quote asks nobody (Misskey). */
  readonly requestId: string | null;
}

/**
 * Records a quote as the policy says, notifies the owner, and returns the stored quote (the one
 * stored already when delivered again), or null when the policy refuses every quote.
 */
export async function recordQuote(db: Db, actor: RemoteActor, quote: IncomingQuote, policy: QuotePolicy): Promise<QuoteRow | null> {
  const known = await getQuote(db, quote.id);
  if (known !== undefined && (known.request_id !== null || quote.requestId === null)) return known.actor_id === actor.id ? known : null;
  if (quote.requestId !== null && policy === "nobody") return null;
  const status = quote.requestId === null || policy === "automatic" ? "accepted" : "pending";
  const authorizationId = quote.requestId !== null && status === "accepted" ? crypto.randomUUID() : null;
  if (known !== undefined) {
    // Seen first as a plain post naming ours, now asked for properly.
    if (known.actor_id !== actor.id) return null;
    await db.updateTable("quotes").set({ request_id: quote.requestId, status, authorization_id: authorizationId }).where("id", "=", quote.id).execute();
  } else {
    await insertQuote(db, {
      id: quote.id,
      post_id: quote.postId,
      target_id: quote.targetId,
      actor_id: actor.id,
      url: quote.url,
      content_html: sanitizeRemoteHtml(quote.contentHtml),
      request_id: quote.requestId,
      status,
      authorization_id: authorizationId,
    });
  }
  await insertNotification(db, {
    kind: status === "pending" ? "quote_request" : "quote",
    activity_id: quote.requestId ?? quote.id,
    actor_id: actor.id,
    post_id: quote.postId,
    body: sanitizeRemoteHtml(quote.contentHtml),
  });
  return (await getQuote(db, quote.id)) ?? null;
}

export async function approveQuote(deps: QuoteDeps, id: string): Promise<boolean> {
  const quote = await getQuote(deps.db, id);
  if (quote === undefined || quote.status !== "pending") return false;
  await setQuoteStatus(deps.db, id, "accepted", crypto.randomUUID());
  await deps.federation.accept((await getQuote(deps.db, id))!);
  return true;
}

export async function rejectQuote(deps: QuoteDeps, id: string): Promise<boolean> {
  const quote = await getQuote(deps.db, id);
  if (quote === undefined || quote.status !== "pending") return false;
  await setQuoteStatus(deps.db, id, "rejected");
  await deps.federation.reject(quote);
  return true;
}

/** Withdraws an accepted quote: its authorization stops answering, and its server is told. */
export async function revokeQuote(deps: QuoteDeps, id: string): Promise<boolean> {
  const quote = await getQuote(deps.db, id);
  if (quote === undefined || quote.status !== "accepted") return false;
  await setQuoteStatus(deps.db, id, "revoked");
  if (quote.authorization_id !== null) await deps.federation.revoke(quote);
  return true;
}

export async function setQuotePolicy(db: Db, policy: string): Promise<boolean> {
  if (policy !== "automatic" && policy !== "manual" && policy !== "nobody") return false;
  await updateAccount(db, { quote_policy: policy });
  return true;
}

/** The quoting post was deleted by its author: the quote goes with it. */
export async function forgetQuote(db: Db, actorId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom("quotes").where("id", "=", id).where("actor_id", "=", actorId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
