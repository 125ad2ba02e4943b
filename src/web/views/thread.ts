// The conversation under a post: replies threaded, oldest first, counts, emoji reactions,
// quotes, and how to join in.
import { html, raw } from "hono/html";
import type { RemoteAttachment } from "../../../db/schema.ts";
import { emojifyHtml } from "../../content/index.ts";
import type { QuoteRow } from "../../data/quotes.ts";
import type { EmojiCount } from "../../data/reactions.ts";
import type { RemoteActorRow } from "../../data/remote-actors.ts";
import type { ReplyRow } from "../../data/replies.ts";
import { interactForm, type BlogContext } from "./blog.ts";
import type { Html } from "./layout.ts";
import { formatDate } from "./post.ts";
import { remoteHref } from "./remote-links.ts";
import { actorName, replyModeration } from "./social.ts";

export interface ThreadOptions {
  readonly postUrl: string;
  readonly replies: readonly ReplyRow[];
  readonly actors: Map<string, RemoteActorRow>;
  /** Who liked and who boosted, oldest first. */
  readonly likes: readonly string[];
  readonly boosts: readonly string[];
  readonly emojiReactions: readonly EmojiCount[];
  /** Accepted quotes, oldest first. */
  readonly quotes: readonly QuoteRow[];
  readonly csrf: string;
}

/** Pictures as lazy thumbnails with their alt text, other files as links. */
function attachmentList(attachments: readonly RemoteAttachment[]): Html {
  if (attachments.length === 0) return html``;
  return html`<ul class="attachments">${attachments.map((item) =>
    item.mediaType?.startsWith("image/") || (item.mediaType === null && /\.(png|jpe?g|gif|webp|avif)$/i.test(item.url))
      ? html`<li><a href="${remoteHref(item.url)}" rel="nofollow noopener noreferrer ugc"><img src="${remoteHref(item.url)}" alt="${item.name ?? ""}" loading="lazy" width="160" height="120"></a></li>`
      : html`<li><a href="${remoteHref(item.url)}" rel="nofollow noopener noreferrer ugc">${item.name || item.url}</a></li>`,
  )}</ul>`;
}

function reactionSummary(reactions: readonly EmojiCount[]): Html {
  return html`${reactions.map(
    (reaction, i) =>
      html`${i > 0 ? " · " : ""}<span class="reaction">${
        reaction.url === null
          ? reaction.emoji
          : html`<img class="emoji" src="${remoteHref(reaction.url)}" alt="${reaction.emoji}" title="${reaction.emoji}" width="20" height="20" loading="lazy">`
      } ${reaction.count}</span>`,
  )}`;
}

export function thread(blog: BlogContext, options: ThreadOptions): Html {
  const { t } = blog;
  const children = new Map<string, ReplyRow[]>();
  const known = new Set(options.replies.map((reply) => reply.id));
  const roots: ReplyRow[] = [];
  for (const reply of options.replies) {
    if (known.has(reply.in_reply_to)) children.set(reply.in_reply_to, [...(children.get(reply.in_reply_to) ?? []), reply]);
    else roots.push(reply);
  }
  const renderList = (replies: readonly ReplyRow[], depth: number): Html =>
    html`<ol class="replies${depth > 0 ? " nested" : ""}">${replies.map((reply) => {
      const actor = options.actors.get(reply.actor_id);
      const nested = children.get(reply.id) ?? [];
      const lang = reply.language ? html` lang="${reply.language}"` : "";
      return html`<li class="reply h-cite${reply.hidden ? " hidden-reply" : ""}" id="reply-${encodeURIComponent(reply.id)}">
<header><a class="author p-author h-card" href="${remoteHref(actor?.url, reply.actor_id)}" rel="nofollow noopener noreferrer ugc">${
        actor?.icon_url ? html`<img class="avatar small" src="${remoteHref(actor.icon_url)}" alt="" width="32" height="32" loading="lazy">` : ""
      }<strong>${actorName(reply.actor_id, actor)}</strong> <span class="hint">${actor?.handle ?? ""}</span></a>
<a class="hint" href="${remoteHref(reply.url, reply.id)}" rel="nofollow noopener noreferrer ugc"><time datetime="${reply.published_at.toISOString()}">${formatDate(reply.published_at, blog.locale)}</time></a>
${reply.hidden ? html`<span class="visibility-mark">${t.hidden}</span>` : ""}
${blog.owner ? replyModeration(options.csrf, reply) : ""}</header>
${reply.summary
  ? html`<details class="content-warning"><summary>${reply.summary}</summary><div class="remote-content"${lang}>${raw(emojifyHtml(reply.content_html, reply.emojis))}</div>${attachmentList(reply.attachments)}</details>`
  : html`<div class="remote-content"${lang}>${raw(emojifyHtml(reply.content_html, reply.emojis))}</div>${attachmentList(reply.attachments)}`}
${nested.length > 0 ? renderList(nested, depth + 1) : ""}
</li>`;
    })}</ol>`;

  // The count, and who: each name linked to the profile.
  const people = (label: string, actorIds: readonly string[]): Html =>
    actorIds.length === 0
      ? html`${label}`
      : html`<details class="people-list"><summary>${label}</summary><ul>${actorIds.map((id) => {
          const actor = options.actors.get(id);
          return html`<li><a href="${remoteHref(actor?.url, id)}" rel="nofollow noopener noreferrer ugc">${actorName(id, actor)}</a> <span class="hint">${actor?.handle ?? ""}</span></li>`;
        })}</ul></details>`;

  // Only the counts there are: "0 replies · 0 likes" says nothing. A <div>, since a <p> cannot
  // hold the lists' <details>.
  const counts = [
    options.replies.length > 0 ? html`${t.replies(options.replies.length)}` : null,
    options.likes.length > 0 ? people(t.likes(options.likes.length), options.likes) : null,
    options.boosts.length > 0 ? people(t.boosts(options.boosts.length), options.boosts) : null,
  ].filter((part) => part !== null);

  return html`<section class="conversation" id="replies" aria-label="${t.conversation}">
${counts.length > 0 ? html`<div class="counts">${counts.map((part, i) => html`${i > 0 ? html`<span aria-hidden="true">·</span>` : ""}${part}`)}</div>` : ""}
${options.emojiReactions.length > 0 ? html`<p class="reactions">${reactionSummary(options.emojiReactions)}</p>` : ""}
${options.replies.length > 0 ? renderList(roots, 0) : ""}
${options.quotes.length > 0
  ? html`<h2 class="quotes-title">${t.quotes(options.quotes.length)}</h2><ul class="quotes">${options.quotes.map((quote) => {
      const actor = options.actors.get(quote.actor_id);
      return html`<li class="quote h-cite"><a class="author" href="${remoteHref(actor?.url, quote.actor_id)}" rel="nofollow noopener noreferrer ugc"><strong>${actorName(quote.actor_id, actor)}</strong> <span class="hint">${actor?.handle ?? ""}</span></a>
<a class="hint" href="${remoteHref(quote.url, quote.id)}" rel="nofollow noopener noreferrer ugc"><time datetime="${quote.created_at.toISOString()}">${formatDate(quote.created_at, blog.locale)}</time></a>
<div class="remote-content">${raw(quote.content_html)}</div></li>`;
    })}</ul>`
  : ""}
${interactForm(blog, options.postUrl, t.interactFromServer)}
</section>`;
}
