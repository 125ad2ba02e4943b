// The conversation under a post: replies threaded, oldest first, counts, and how to join in.
import { html, raw } from "hono/html";
import type { RemoteActorRow } from "../../data/remote-actors.ts";
import type { ReplyRow } from "../../data/replies.ts";
import type { Html } from "./layout.ts";
import { formatDate } from "./post.ts";
import { replyModeration } from "./social.ts";

export interface ThreadOptions {
  readonly postUrl: string;
  readonly replies: readonly ReplyRow[];
  readonly actors: Map<string, RemoteActorRow>;
  readonly likes: number;
  readonly boosts: number;
  readonly owner: boolean;
  readonly csrf: string;
}

export function thread(options: ThreadOptions): Html {
  const children = new Map<string, ReplyRow[]>();
  const known = new Set(options.replies.map((reply) => reply.id));
  const roots: ReplyRow[] = [];
  for (const reply of options.replies) {
    if (known.has(reply.in_reply_to)) {
      const siblings = children.get(reply.in_reply_to) ?? [];
      siblings.push(reply);
      children.set(reply.in_reply_to, siblings);
    } else {
      roots.push(reply);
    }
  }
  const renderList = (replies: readonly ReplyRow[], depth: number): Html =>
    html`<ol class="replies${depth > 0 ? " nested" : ""}">${replies.map((reply) => {
      const actor = options.actors.get(reply.actor_id);
      const nested = children.get(reply.id) ?? [];
      return html`<li class="reply h-cite${reply.hidden ? " hidden-reply" : ""}" id="reply-${encodeURIComponent(reply.id)}">
<header><a class="author" href="${actor?.url ?? reply.actor_id}" rel="nofollow noopener noreferrer ugc">${
        actor?.icon_url ? html`<img class="avatar small" src="${actor.icon_url}" alt="" width="32" height="32" loading="lazy">` : ""
      }<strong>${actor?.name || actor?.handle || reply.actor_id}</strong> <span class="hint">${actor?.handle ?? ""}</span></a>
<a class="hint" href="${reply.url ?? reply.id}" rel="nofollow noopener noreferrer ugc"><time datetime="${reply.published_at.toISOString()}">${formatDate(reply.published_at, reply.language ?? "en")}</time></a>
${reply.hidden ? html`<span class="visibility-mark">Hidden</span>` : ""}
${options.owner ? replyModeration(options.csrf, reply) : ""}</header>
${reply.summary
  ? html`<details class="content-warning"><summary>${reply.summary}</summary><div class="remote-content"${reply.language ? html` lang="${reply.language}"` : ""}>${raw(reply.content_html)}</div></details>`
  : html`<div class="remote-content"${reply.language ? html` lang="${reply.language}"` : ""}>${raw(reply.content_html)}</div>`}
${nested.length > 0 ? renderList(nested, depth + 1) : ""}
</li>`;
    })}</ol>`;

  return html`<section class="conversation" id="replies" aria-label="Conversation">
<p class="counts"><span>${options.replies.length} ${options.replies.length === 1 ? "reply" : "replies"}</span> · <span>${options.likes} ${options.likes === 1 ? "like" : "likes"}</span> · <span>${options.boosts} ${options.boosts === 1 ? "boost" : "boosts"}</span></p>
${options.replies.length > 0 ? renderList(roots, 0) : ""}
${interactForm(options.postUrl, "Reply, like or boost from your own server")}
</section>`;
}

/** The remote-interaction form: the reader's handle leads to their server with this post loaded. */
export function interactForm(uri: string, label: string): Html {
  return html`<form class="interact" method="get" action="/interact">
<input type="hidden" name="uri" value="${uri}">
<label for="interact-handle">${label}</label>
<div class="row"><input id="interact-handle" name="handle" placeholder="@you@mastodon.social" autocomplete="username" required>
<button type="submit">Go</button></div>
<p class="hint">Or paste <code>${uri}</code> into your server's search.</p>
</form>`;
}
