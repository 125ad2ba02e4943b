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
import { page, type Html } from "./layout.ts";
import { formatDate } from "./post.ts";
import { remoteHref } from "./remote-links.ts";

const KIND_LABELS: Record<NotificationKind, string> = {
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
};

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
  csrf: string;
  notifications: readonly NotificationRow[];
  actors: Map<string, RemoteActorRow>;
  replies: Map<string, ReplyRow>;
}): Html {
  return page({
    title: "Notifications · Glose",
    body: html`<main>
<nav class="admin-nav"><a href="/admin">← Admin</a><a href="/admin/followers">Followers</a><a href="/admin/quotes">Quotes</a><a href="/admin/blocks">Blocks</a></nav>
<h1>Notifications</h1>
${options.notifications.length === 0 ? html`<p class="hint">Nothing yet.</p>` : ""}
<ol class="notifications">
${options.notifications.map((n) => {
  const reply = n.reply_id === null ? undefined : options.replies.get(n.reply_id);
  return html`<li class="notification${n.read_at === null ? " unread" : ""}">
${actorLink(n.actor_id, options.actors.get(n.actor_id))} ${KIND_LABELS[n.kind]}
${n.post_id ? html` · <a href="/p/${n.post_id}">post</a>` : ""}
<span class="hint">· ${formatDate(n.created_at, "en")}</span>
${reply ? html`<blockquote class="remote-content">${reply.summary ? html`<p><strong>CW: ${reply.summary}</strong></p>` : ""}${raw(reply.content_html)}${reply.public ? "" : html`<p class="hint">Private: only you see this reply.</p>`}</blockquote>` : ""}
${n.kind === "reaction" && n.body ? html`<span class="reaction">${n.body}</span>` : ""}
${(n.kind === "quote" || n.kind === "quote_request") && n.body ? html`<blockquote class="remote-content">${raw(n.body)}</blockquote>` : ""}
${n.kind === "quote_request" ? html`<p><a href="/admin/quotes">Approve or refuse</a></p>` : ""}
${n.kind === "mention" && n.body ? html`<blockquote class="remote-content">${raw(n.body)}</blockquote>` : ""}
${n.kind === "report" && n.body ? html`<pre class="report">${n.body}</pre>` : ""}
${n.kind === "move" && n.body ? html`<p class="hint">Previously ${n.body}</p>` : ""}
${n.kind === "follower_gone" && n.body ? html`<p class="hint">${n.body}</p>` : ""}
</li>`;
})}
</ol>
</main>`,
  });
}

export function followersPage(options: {
  csrf: string;
  followers: readonly FollowerRow[];
  pending: readonly FollowerRow[];
  /** Handles of the owner's former accounts, by actor id. */
  movedFrom: ReadonlyMap<string, string>;
  locked: boolean;
  error?: string;
}): Html {
  const moved = (from: string | null) => (from === null ? "" : html` · moved from ${options.movedFrom.get(from) ?? from}`);
  const row = (follower: FollowerRow, actions: Html) => html`<li>
<a href="${remoteHref(follower.url, follower.actor_id)}" rel="nofollow noopener noreferrer"><strong>${follower.name || follower.handle}</strong></a>
<span class="hint">${follower.handle} · ${new URL(follower.actor_id).host} · since ${formatDate(follower.created_at, "en")}${moved(follower.moved_from)}</span>
${actions}</li>`;
  const form = (action: string, actorId: string, label: string, kind = "secondary") =>
    html`<form method="post" action="${action}" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="actor" value="${actorId}"><button type="submit" class="${kind}">${label}</button></form>`;
  return page({
    title: "Followers · Glose",
    body: html`<main>
<nav class="admin-nav"><a href="/admin">← Admin</a><a href="/admin/notifications">Notifications</a><a href="/admin/blocks">Blocks</a></nav>
<h1>Followers</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
${options.locked || options.pending.length > 0
  ? html`<section><h2>Requests</h2>
${options.pending.length === 0 ? html`<p class="hint">No request waiting.</p>` : ""}
<ul class="people">${options.pending.map((f) => row(f, html`${form("/admin/followers/approve", f.actor_id, "Approve", "")} ${form("/admin/followers/reject", f.actor_id, "Refuse")}`))}</ul></section>`
  : ""}
<section><h2>${options.followers.length} followers</h2>
<ul class="people">${options.followers.map((f) => row(f, html`${form("/admin/followers/reject", f.actor_id, "Remove")} ${form("/admin/blocks/actor", f.actor_id, "Block", "danger")}`))}</ul>
</section>
</main>`,
  });
}

export function blocksPage(options: { csrf: string; blocks: readonly BlockRow[]; error?: string }): Html {
  return page({
    title: "Blocks · Glose",
    body: html`<main>
<nav class="admin-nav"><a href="/admin">← Admin</a><a href="/admin/notifications">Notifications</a><a href="/admin/followers">Followers</a></nav>
<h1>Blocks</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<form method="post" action="/admin/blocks/domain">${csrfInput(options.csrf)}
<label for="domain">Block a whole server</label>
<div class="row"><input id="domain" name="domain" placeholder="spam.example" required><button type="submit" class="danger">Block</button></div>
<p class="hint">Its accounts stop following you, their replies are hidden, and their activities are refused.</p>
</form>
<ul class="people">${options.blocks.map(
  (block) => html`<li><strong>${block.value}</strong> <span class="hint">${block.kind === "domain" ? "server" : "account"} · ${formatDate(block.created_at, "en")}</span>
<form method="post" action="/admin/blocks/remove" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="kind" value="${block.kind}"><input type="hidden" name="value" value="${block.value}"><button type="submit" class="secondary">Unblock</button></form></li>`,
)}</ul>
</main>`,
  });
}

export function replyModeration(csrf: string, reply: ReplyRow): Html {
  const form = (action: string, label: string, kind = "secondary") =>
    html`<form method="post" action="${action}" class="inline">${csrfInput(csrf)}<input type="hidden" name="reply" value="${reply.id}"><button type="submit" class="${kind} small">${label}</button></form>`;
  return html`<span class="moderation">${reply.hidden ? form("/admin/replies/show", "Show") : form("/admin/replies/hide", "Hide")} ${form("/admin/replies/delete", "Delete", "danger")} ${form("/admin/blocks/actor-of-reply", "Block author", "danger")}</span>`;
}

const POLICY_LABELS: Record<QuotePolicy, string> = {
  automatic: "Anyone, at once",
  manual: "Only those I approve",
  nobody: "Nobody",
};

export function quotesPage(options: { csrf: string; policy: QuotePolicy; quotes: readonly QuoteRow[]; actors: Map<string, RemoteActorRow> }): Html {
  const form = (action: string, id: string, label: string, kind = "secondary") =>
    html`<form method="post" action="${action}" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="quote" value="${id}"><button type="submit" class="${kind}">${label}</button></form>`;
  return page({
    title: "Quotes · Glose",
    body: html`<main>
<nav class="admin-nav"><a href="/admin">← Admin</a><a href="/admin/notifications">Notifications</a><a href="/admin/followers">Followers</a></nav>
<h1>Quotes</h1>
<form method="post" action="/admin/quotes/policy">${csrfInput(options.csrf)}
<label for="quote_policy">Who may quote your public posts</label>
<div class="row"><select id="quote_policy" name="policy">${(Object.keys(POLICY_LABELS) as QuotePolicy[]).map(
  (value) => html`<option value="${value}"${options.policy === value ? raw(" selected") : ""}>${POLICY_LABELS[value]}</option>`,
)}</select><button type="submit">Save</button></div>
<p class="hint">Mastodon asks before quoting; Misskey quotes without asking, and is only listed here.</p>
</form>
${options.quotes.length === 0 ? html`<p class="hint">No quote yet.</p>` : ""}
<ol class="notifications">${options.quotes.map(
  (quote) => html`<li class="quote ${quote.status}">
${actorLink(quote.actor_id, options.actors.get(quote.actor_id))} · <a href="/p/${quote.post_id}">post</a> · <a href="${remoteHref(quote.url, quote.id)}" rel="nofollow noopener noreferrer">their post</a>
<span class="hint">· ${formatDate(quote.created_at, "en")}${quote.status === "pending" ? " · waiting for you" : ""}</span>
<blockquote class="remote-content">${raw(quote.content_html)}</blockquote>
${quote.status === "pending"
  ? html`${form("/admin/quotes/approve", quote.id, "Approve")} ${form("/admin/quotes/reject", quote.id, "Refuse", "danger")}`
  : form("/admin/quotes/revoke", quote.id, "Revoke", "danger")}
</li>`,
)}</ol>
</main>`,
  });
}
