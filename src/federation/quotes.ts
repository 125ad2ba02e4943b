// Quotes, FEP-044f as Mastodon 4.5 speaks it: a QuoteRequest is answered by an Accept whose
// result is a QuoteAuthorization served here, or by a Reject; revoking deletes the authorization.
// Misskey's quotes (a Create naming our post in `_misskey_quote` or `quoteUrl`) ask nobody.
import type { Context, Federation, InboxContext } from "@fedify/fedify";
import { Accept, Delete, Note, QuoteAuthorization, QuoteRequest, Reject } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { getAccount } from "../data/account.ts";
import { getQuoteByAuthorization, type QuoteRow } from "../data/quotes.ts";
import { getRemoteActor } from "../data/remote-actors.ts";
import type { RemoteActor } from "../services/conversations.ts";
import { recordQuote, type QuoteFederation } from "../services/quotes.ts";
import type { GloseContext } from "./context.ts";
import { actorOf, hrefOf, ownPostOf } from "./remote.ts";
import { checkedRemoteUrl } from "./remote-media.ts";

const logger = getLogger(["glose", "quotes"]);

export const QUOTE_AUTHORIZATION_PATH = "/quotes/{id}";

export function registerQuotes(federation: Federation<GloseContext>): void {
  // Only while the quote stands: once revoked, the URL answers 404 and verifiers drop the quote.
  federation.setObjectDispatcher(QuoteAuthorization, QUOTE_AUTHORIZATION_PATH, async (ctx, { id }) => {
    const quote = await getQuoteByAuthorization(ctx.data.db, id);
    const account = await getAccount(ctx.data.db);
    if (quote === undefined || quote.status !== "accepted" || account === undefined) return null;
    return authorization(ctx, quote, account.username);
  });
}

function authorization(ctx: Context<GloseContext>, quote: QuoteAnswered, username: string): QuoteAuthorization {
  return new QuoteAuthorization({
    id: ctx.getObjectUri(QuoteAuthorization, { id: quote.authorization_id! }),
    attribution: ctx.getActorUri(username),
    interactingObject: new URL(quote.id),
    interactionTarget: new URL(quote.target_id),
  });
}

type QuoteAnswered = Pick<QuoteRow, "id" | "request_id" | "target_id" | "actor_id" | "authorization_id">;

/** Sends the owner's answer about a quote to the quoting account. */
async function answer(ctx: Context<GloseContext>, quote: QuoteAnswered, kind: "accept" | "reject" | "revoke"): Promise<void> {
  const account = await getAccount(ctx.data.db);
  const quoter = await getRemoteActor(ctx.data.db, quote.actor_id);
  if (account === undefined || quoter?.inbox_url == null) return;
  const owner = ctx.getActorUri(account.username);
  const recipient = {
    id: new URL(quoter.id),
    inboxId: new URL(quoter.inbox_url),
    endpoints: quoter.shared_inbox_url === null ? null : { sharedInbox: new URL(quoter.shared_inbox_url) },
  };
  const id = new URL(`#quote-${kind}s/${crypto.randomUUID()}`, owner);
  let activity: Accept | Reject | Delete;
  if (kind === "revoke") {
    activity = new Delete({ id, actor: owner, to: recipient.id, object: ctx.getObjectUri(QuoteAuthorization, { id: quote.authorization_id! }) });
  } else {
    const request = new QuoteRequest({
      id: quote.request_id === null ? null : new URL(quote.request_id),
      actor: recipient.id,
      object: new URL(quote.target_id),
      instrument: new URL(quote.id),
    });
    activity =
      kind === "accept"
        ? new Accept({ id, actor: owner, to: recipient.id, object: request, result: authorization(ctx, quote, account.username).id })
        : new Reject({ id, actor: owner, to: recipient.id, object: request });
  }
  await ctx.sendActivity({ identifier: account.username }, recipient, activity);
}

export function createQuoteFederation(federation: Federation<GloseContext>, contextData: GloseContext): QuoteFederation {
  const ctx = () => federation.createContext(new URL(contextData.config.origin), contextData);
  return {
    accept: (quote) => answer(ctx(), quote, "accept"),
    reject: (quote) => answer(ctx(), quote, "reject"),
    revoke: (quote) => answer(ctx(), quote, "revoke"),
  };
}

export async function onQuoteRequest(ctx: InboxContext<GloseContext>, request: QuoteRequest): Promise<void> {
  if (request.id === null || request.objectId === null || request.instrumentIds.length === 0) return;
  // Not about one of ours: none of our business.
  if (ctx.parseUri(request.objectId)?.type !== "object") return;
  const postId = await ownPostOf(ctx, request.objectId, { quotable: true });
  const account = await getAccount(ctx.data.db);
  if (account === undefined) return;
  const quote = await request.getInstrument(ctx).catch(() => null);
  // The quoting post is the requester's own, from their own server, and quotes this very post.
  const actorId = request.actorId!;
  if (!(quote instanceof Note) || quote.id === null || quote.attributionId?.href !== actorId.href || quote.id.origin !== actorId.origin) return;
  if ((quote.quoteId ?? quote.quoteUrl)?.href !== request.objectId.href) return;
  const actor = await actorOf(ctx, request);
  if (actor === null) return;
  const stored =
    postId === null
      ? null
      : await recordQuote(
          ctx.data.db,
          actor,
          { id: quote.id.href, postId, targetId: request.objectId.href, url: await checkedRemoteUrl(hrefOf(quote.url), ctx.data.config.allowPrivateAddress), contentHtml: quote.content?.toString() ?? "", requestId: request.id.href },
          account.quote_policy,
        );
  const refused = { id: quote.id.href, request_id: request.id.href, target_id: request.objectId.href, actor_id: actor.id, authorization_id: null };
  if (stored === null || stored.status === "rejected" || stored.status === "revoked") {
    await answer(ctx, stored ?? refused, "reject");
  } else if (stored.status === "accepted") {
    await answer(ctx, stored, "accept");
  }
  logger.info("Quote request {id} from {actor}: {status}", { id: request.id.href, actor: actor.id, status: stored?.status ?? "refused" });
}

/** A Create whose Note names one of our posts as the one it quotes, without asking (Misskey). */
export async function recordPlainQuote(ctx: InboxContext<GloseContext>, actor: RemoteActor, note: Note): Promise<void> {
  const target = note.quoteUrl ?? note.quoteId;
  if (target === null || note.id === null) return;
  const postId = await ownPostOf(ctx, target, { quotable: true });
  const account = await getAccount(ctx.data.db);
  if (postId === null || account === undefined || account.quote_policy === "nobody") return;
  await recordQuote(
    ctx.data.db,
    actor,
    { id: note.id.href, postId, targetId: target.href, url: await checkedRemoteUrl(hrefOf(note.url), ctx.data.config.allowPrivateAddress), contentHtml: note.content?.toString() ?? "", requestId: null },
    account.quote_policy,
  );
}
