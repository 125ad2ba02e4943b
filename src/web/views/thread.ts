// The conversation under a post: replies threaded, oldest first, counts, and how to join in.
import { html, raw } from "hono/html";
import type { RemoteActorRow } from "../../data/remote-actors.ts";
import type { ReplyRow } from "../../data/replies.ts";
import { interactForm, type BlogContext } from "./blog.ts";
import type { Html } from "./layout.ts";
import { formatDate } from "./post.ts";
import { replyModeration } from "./social.ts";

export interface ThreadOptions {
  readonly postUrl: string;
  readonly replies: readonly ReplyRow[];
  readonly actors: Map<string, RemoteActorRow>;
  /** Who liked and who boosted, oldest first. */
  readonly likes: readonly string[];
  readonly boosts: readonly string[];
  readonly csrf: string;
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
<header><a class="author p-author h-card" href="${actor?.url ?? reply.actor_id}" rel="nofollow noopener noreferrer ugc">${
        actor?.icon_url ? html`<img class="avatar small" src="${actor.icon_url}" alt="" width="32" height="32" loading="lazy">` : ""
      }<strong>${actor?.name || actor?.handle || reply.actor_id}</strong> <span class="hint">${actor?.handle ?? ""}</span></a>
<a class="hint" href="${reply.url ?? reply.id}" rel="nofollow noopener noreferrer ugc"><time datetime="${reply.published_at.toISOString()}">${formatDate(reply.published_at, blog.locale)}</time></a>
${reply.hidden ? html`<span class="visibility-mark">${t.hidden}</span>` : ""}
${blog.owner ? replyModeration(options.csrf, reply) : ""}</header>
${reply.summary
  ? html`<details class="content-warning"><summary>${reply.summary}</summary><div class="remote-content"${lang}>${raw(reply.content_html)}</div></details>`
  : html`<div class="remote-content"${lang}>${raw(reply.content_html)}</div>`}
${nested.length > 0 ? renderList(nested, depth + 1) : ""}
</li>`;
    })}</ol>`;

  // The count, and who: each name linked to the profile.
  const people = (label: string, actorIds: readonly string[]): Html =>
    actorIds.length === 0
      ? html`${label}`
      : html`<details class="people-list"><summary>${label}</summary><ul>${actorIds.map((id) => {
          const actor = options.actors.get(id);
          return html`<li><a href="${actor?.url ?? id}" rel="nofollow noopener noreferrer ugc">${actor?.name || actor?.handle || id}</a> <span class="hint">${actor?.handle ?? ""}</span></li>`;
        })}</ul></details>`;

  return html`<section class="conversation" id="replies" aria-label="${t.conversation}">
<p class="counts">${t.replies(options.replies.length)} · ${people(t.likes(options.likes.length), options.likes)} · ${people(t.boosts(options.boosts.length), options.boosts)}</p>
${options.replies.length > 0 ? renderList(roots, 0) : ""}
${interactForm(blog, options.postUrl, t.interactFromServer)}
</section>`;
}
