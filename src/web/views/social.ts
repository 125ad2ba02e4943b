// The owner's social pages: notifications, followers and requests, blocks.
import { html, raw } from "hono/html";
import type { NotificationKind, QuotePolicy } from "../../../db/schema.ts";
import { emojifyText } from "../../content/index.ts";
import type { BlockRow } from "../../data/blocks.ts";
import type { FollowerRow } from "../../data/followers.ts";
import type { NotificationRow } from "../../data/notifications.ts";
import type { QuoteRow } from "../../data/quotes.ts";
import type { RemoteActorRow } from "../../data/remote-actors.ts";
import type { ReplyRow } from "../../data/replies.ts";
import { CSRF_FIELD } from "../security.ts";
import type { Html } from "./layout.ts";
import { adminPage } from "./admin-layout.ts";
import type { Locale } from "../i18n.ts";
import { formatDate } from "./post.ts";
import { remoteHref } from "./remote-links.ts";

const TEXT = {
  en: {
    kinds: {
      follow: "followed you",
      follow_request: "asked to follow you",
      reply: "replied",
      mention: "mentioned you",
      like: "liked your post",
      announce: "boosted your post",
      report: "reported",
      block: "blocked you",
      move: "moved to a new account",
      follower_gone: "was removed from your followers: their server says they are gone",
      reaction: "reacted to your post",
      quote: "quoted your post",
      quote_request: "asks to quote your post",
    } as Record<NotificationKind, string>,
    notifications: "Notifications",
    nothingYet: "Nothing yet.",
    post: "post",
    privateReply: "Private: only you see this reply.",
    approveOrRefuse: "Approve or refuse",
    previously: "Previously",
    followers: "Followers",
    followerCount: (n: number) => `${n} followers`,
    since: "since",
    movedFrom: "moved from",
    requests: "Requests",
    noRequest: "No request waiting.",
    approve: "Approve",
    refuse: "Refuse",
    remove: "Remove",
    block: "Block",
    blocks: "Blocks",
    blockServer: "Block a whole server",
    blockHint: "Its accounts stop following you, their replies are hidden, and their activities are refused.",
    server: "server",
    account: "account",
    unblock: "Unblock",
    quotes: "Quotes",
    policies: { automatic: "Anyone, at once", manual: "Only those I approve", nobody: "Nobody" } as Record<QuotePolicy, string>,
    whoMayQuote: "Who may quote your public posts",
    save: "Save",
    quoteHint: "Mastodon asks before quoting; Misskey quotes without asking, and is only listed here.",
    noQuote: "No quote yet.",
    theirPost: "their post",
    waitingForYou: " · waiting for you",
    revoke: "Revoke",
  },
  fr: {
    kinds: {
      follow: "vous suit",
      follow_request: "demande à vous suivre",
      reply: "a répondu",
      mention: "vous a mentionné",
      like: "a aimé votre lien",
      announce: "a partagé votre lien",
      report: "a signalé",
      block: "vous a bloqué",
      move: "a déménagé vers un nouveau compte",
      follower_gone: "a été retiré de vos abonnés : son serveur dit que le compte n’existe plus",
      reaction: "a réagi à votre lien",
      quote: "a cité votre lien",
      quote_request: "demande à citer votre lien",
    },
    notifications: "Notifications",
    nothingYet: "Rien pour l’instant.",
    post: "lien",
    privateReply: "Privée : vous seul voyez cette réponse.",
    approveOrRefuse: "Approuver ou refuser",
    previously: "Auparavant",
    followers: "Abonnés",
    followerCount: (n: number) => (n <= 1 ? `${n} abonné` : `${n} abonnés`),
    since: "depuis le",
    movedFrom: "venu de",
    requests: "Demandes",
    noRequest: "Aucune demande en attente.",
    approve: "Approuver",
    refuse: "Refuser",
    remove: "Retirer",
    block: "Bloquer",
    blocks: "Blocages",
    blockServer: "Bloquer un serveur entier",
    blockHint: "Ses comptes cessent de vous suivre, leurs réponses sont masquées et leurs activités refusées.",
    server: "serveur",
    account: "compte",
    unblock: "Débloquer",
    quotes: "Citations",
    policies: { automatic: "Tout le monde, aussitôt", manual: "Ceux que j’approuve", nobody: "Personne" },
    whoMayQuote: "Qui peut citer vos liens publics",
    save: "Enregistrer",
    quoteHint: "Mastodon demande avant de citer ; Misskey cite sans demander, et n’est que listé ici.",
    noQuote: "Aucune citation pour l’instant.",
    theirPost: "leur message",
    waitingForYou: " · attend votre réponse",
    revoke: "Révoquer",
  },
} satisfies Record<Locale, unknown>;

const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

/** A remote account's display name, its custom emoji shown as images. */
export function actorName(actorId: string, actor: RemoteActorRow | undefined): Html {
  return actor?.name ? raw(emojifyText(actor.name, actor.emojis)) : html`${actor?.handle || actorId}`;
}

export function actorLink(actorId: string, actor: RemoteActorRow | undefined): Html {
  return html`<a class="actor" href="${remoteHref(actor?.url, actorId)}" rel="nofollow noopener noreferrer">${
    actor?.icon_url ? html`<img class="avatar small" src="${remoteHref(actor.icon_url)}" alt="" width="24" height="24" loading="lazy">` : ""
  }<strong>${actorName(actorId, actor)}</strong> <span class="hint">${actor?.handle ?? ""}</span></a>`;
}

export function notificationsPage(options: {
  csrf: string; locale: Locale;
  notifications: readonly NotificationRow[];
  actors: Map<string, RemoteActorRow>;
  replies: Map<string, ReplyRow>;
}): Html {
  const t = TEXT[options.locale];
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "notifications",
    title: t.notifications,
    body: html`<h1>${t.notifications}</h1>
${options.notifications.length === 0 ? html`<p class="hint">${t.nothingYet}</p>` : ""}
<ol class="notifications">
${options.notifications.map((n) => {
  const reply = n.reply_id === null ? undefined : options.replies.get(n.reply_id);
  return html`<li class="notification${n.read_at === null ? " unread" : ""}">
${actorLink(n.actor_id, options.actors.get(n.actor_id))} ${t.kinds[n.kind]}
${n.post_id ? html` · <a href="/p/${n.post_id}">${t.post}</a>` : ""}
<span class="hint">· ${formatDate(n.created_at, options.locale)}</span>
${reply ? html`<blockquote class="remote-content">${reply.summary ? html`<p><strong>CW: ${reply.summary}</strong></p>` : ""}${raw(reply.content_html)}${reply.public ? "" : html`<p class="hint">${t.privateReply}</p>`}</blockquote>` : ""}
${n.kind === "reaction" && n.body ? html`<span class="reaction">${n.body}</span>` : ""}
${(n.kind === "quote" || n.kind === "quote_request") && n.body ? html`<blockquote class="remote-content">${raw(n.body)}</blockquote>` : ""}
${n.kind === "quote_request" ? html`<p><a href="/admin/quotes">${t.approveOrRefuse}</a></p>` : ""}
${n.kind === "mention" && n.body ? html`<blockquote class="remote-content">${raw(n.body)}</blockquote>` : ""}
${n.kind === "report" && n.body ? html`<pre class="report">${n.body}</pre>` : ""}
${n.kind === "move" && n.body ? html`<p class="hint">${t.previously} ${n.body}</p>` : ""}
${n.kind === "follower_gone" && n.body ? html`<p class="hint">${n.body}</p>` : ""}
</li>`;
})}
</ol>
`,
  });
}

export function followersPage(options: {
  csrf: string;
  locale: Locale;
  followers: readonly FollowerRow[];
  pending: readonly FollowerRow[];
  /** Handles of the owner's former accounts, by actor id. */
  movedFrom: ReadonlyMap<string, string>;
  locked: boolean;
  error?: string;
}): Html {
  const t = TEXT[options.locale];
  const moved = (from: string | null) => (from === null ? "" : html` · ${t.movedFrom} ${options.movedFrom.get(from) ?? from}`);
  const row = (follower: FollowerRow, actions: Html) => html`<li>
<a href="${remoteHref(follower.url, follower.actor_id)}" rel="nofollow noopener noreferrer"><strong>${follower.name || follower.handle}</strong></a>
<span class="hint">${follower.handle} · ${new URL(follower.actor_id).host} · ${t.since} ${formatDate(follower.created_at, options.locale)}${moved(follower.moved_from)}</span>
${actions}</li>`;
  const form = (action: string, actorId: string, label: string, kind = "secondary") =>
    html`<form method="post" action="${action}" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="actor" value="${actorId}"><button type="submit" class="${kind}">${label}</button></form>`;
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "followers",
    title: t.followers,
    body: html`<h1>${t.followers}</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
${options.locked || options.pending.length > 0
  ? html`<section><h2>${t.requests}</h2>
${options.pending.length === 0 ? html`<p class="hint">${t.noRequest}</p>` : ""}
<ul class="people">${options.pending.map((f) => row(f, html`${form("/admin/followers/approve", f.actor_id, t.approve, "")} ${form("/admin/followers/reject", f.actor_id, t.refuse)}`))}</ul></section>`
  : ""}
<section><h2>${t.followerCount(options.followers.length)}</h2>
<ul class="people">${options.followers.map((f) => row(f, html`${form("/admin/followers/reject", f.actor_id, t.remove)} ${form("/admin/blocks/actor", f.actor_id, t.block, "danger")}`))}</ul>
</section>
`,
  });
}

export function blocksPage(options: { csrf: string; locale: Locale; blocks: readonly BlockRow[]; error?: string }): Html {
  const t = TEXT[options.locale];
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "blocks",
    title: t.blocks,
    body: html`<h1>${t.blocks}</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<form method="post" action="/admin/blocks/domain">${csrfInput(options.csrf)}
<label for="domain">${t.blockServer}</label>
<div class="row"><input id="domain" name="domain" placeholder="spam.example" required><button type="submit" class="danger">${t.block}</button></div>
<p class="hint">${t.blockHint}</p>
</form>
<ul class="people">${options.blocks.map(
  (block) => html`<li><strong>${block.value}</strong> <span class="hint">${block.kind === "domain" ? t.server : t.account} · ${formatDate(block.created_at, options.locale)}</span>
<form method="post" action="/admin/blocks/remove" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="kind" value="${block.kind}"><input type="hidden" name="value" value="${block.value}"><button type="submit" class="secondary">${t.unblock}</button></form></li>`,
)}</ul>
`,
  });
}

export function replyModeration(csrf: string, reply: ReplyRow): Html {
  const form = (action: string, label: string, kind = "secondary") =>
    html`<form method="post" action="${action}" class="inline">${csrfInput(csrf)}<input type="hidden" name="reply" value="${reply.id}"><button type="submit" class="${kind} small">${label}</button></form>`;
  return html`<span class="moderation">${reply.hidden ? form("/admin/replies/show", "Show") : form("/admin/replies/hide", "Hide")} ${form("/admin/replies/delete", "Delete", "danger")} ${form("/admin/blocks/actor-of-reply", "Block author", "danger")}</span>`;
}


export function quotesPage(options: { csrf: string; locale: Locale; policy: QuotePolicy; quotes: readonly QuoteRow[]; actors: Map<string, RemoteActorRow> }): Html {
  const t = TEXT[options.locale];
  const form = (action: string, id: string, label: string, kind = "secondary") =>
    html`<form method="post" action="${action}" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="quote" value="${id}"><button type="submit" class="${kind}">${label}</button></form>`;
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "quotes",
    title: t.quotes,
    body: html`<h1>${t.quotes}</h1>
<form method="post" action="/admin/quotes/policy">${csrfInput(options.csrf)}
<label for="quote_policy">${t.whoMayQuote}</label>
<div class="row"><select id="quote_policy" name="policy">${(Object.keys(t.policies) as QuotePolicy[]).map(
  (value) => html`<option value="${value}"${options.policy === value ? raw(" selected") : ""}>${t.policies[value]}</option>`,
)}</select><button type="submit">${t.save}</button></div>
<p class="hint">${t.quoteHint}</p>
</form>
${options.quotes.length === 0 ? html`<p class="hint">${t.noQuote}</p>` : ""}
<ol class="notifications">${options.quotes.map(
  (quote) => html`<li class="quote ${quote.status}">
${actorLink(quote.actor_id, options.actors.get(quote.actor_id))} · <a href="/p/${quote.post_id}">${t.post}</a> · <a href="${remoteHref(quote.url, quote.id)}" rel="nofollow noopener noreferrer">${t.theirPost}</a>
<span class="hint">· ${formatDate(quote.created_at, options.locale)}${quote.status === "pending" ? t.waitingForYou : ""}</span>
<blockquote class="remote-content">${raw(quote.content_html)}</blockquote>
${quote.status === "pending"
  ? html`${form("/admin/quotes/approve", quote.id, t.approve)} ${form("/admin/quotes/reject", quote.id, t.refuse, "danger")}`
  : form("/admin/quotes/revoke", quote.id, t.revoke, "danger")}
</li>`,
)}</ol>
`,
  });
}
