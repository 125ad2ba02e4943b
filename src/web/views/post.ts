// A post as the blog shows it: link title and domain, commentary, link card, tags, date, counts.
import { html, raw } from "hono/html";
import type { PostRow } from "../../data/posts.ts";
import type { InteractionCounts } from "../../data/interaction-counts.ts";
import { archiveTodayUrl, waybackUrl } from "../../content/archive-links.ts";
import type { Messages } from "../i18n.ts";
import { deleteForm } from "./editor.ts";
import type { Html } from "./layout.ts";

export interface PostView {
  readonly t: Messages;
  readonly owner: boolean;
  readonly counts?: InteractionCounts;
  readonly permalink?: boolean;
  readonly csrf?: string;
  /** An excerpt with highlighted matches, shown instead of the commentary (search results). */
  readonly excerpt?: string;
  /** The link is dead: its archived copies are offered instead. */
  readonly deadLink?: boolean;
}

export function postArticle(post: PostRow, view: PostView): Html {
  const { t } = view;
  const domain = post.url === null ? null : new URL(post.url).host.replace(/^www\./, "");
  const marks: Record<PostRow["visibility"], string> = { public: "", unlisted: t.unlisted, followers: t.followersOnly, private: t.private };
  const heading = view.permalink ? "h1" : "h2";
  const title =
    post.url === null
      ? html`<a href="/p/${post.id}">${post.title}</a>`
      : html`<a class="u-bookmark-of" href="${post.url}" rel="nofollow noopener noreferrer">${post.title}</a> <span class="domain">${domain}</span>`;
  const preview = post.preview;
  return html`<article class="post h-entry${post.visibility === "public" ? "" : ` ${post.visibility}`}" lang="${post.language}">
${raw(`<${heading} class="post-title p-name">`)}${title}${raw(`</${heading}>`)}
${post.pinned ? html`<span class="visibility-mark">${t.pinned}</span> ` : ""}${marks[post.visibility] ? html`<span class="visibility-mark">${marks[post.visibility]}</span>` : ""}
${view.deadLink && post.url
  ? html`<p class="dead-link">${t.deadLink} <a href="${waybackUrl(post.url, post.published_at)}" rel="nofollow noopener noreferrer">Wayback Machine</a> · <a href="${archiveTodayUrl(post.url)}" rel="nofollow noopener noreferrer">archive.today</a></p>`
  : ""}
${view.excerpt !== undefined
  ? html`<p class="excerpt">${raw(view.excerpt)}</p>`
  : post.comment_html
    ? html`<div class="commentary e-content">${raw(post.comment_html)}</div>`
    : ""}
${view.permalink && post.url && preview && (preview.title || preview.image)
  ? html`<a class="card" href="${post.url}" rel="nofollow noopener noreferrer">
${preview.image ? html`<img src="${preview.image}" alt="${preview.imageAlt ?? ""}" loading="lazy">` : ""}
<span class="card-text"><span class="hint">${preview.siteName ?? domain}</span><strong>${preview.title ?? post.title}</strong>${preview.description ? html`<span>${preview.description}</span>` : ""}</span></a>`
  : ""}
<footer class="post-meta">
<a class="u-url" href="/p/${post.id}"><time class="dt-published" datetime="${post.published_at.toISOString()}">${formatDate(post.published_at, post.language)}</time></a>
${post.tags.length > 0 ? html`<ul class="tags">${post.tags.map((tag) => html`<li><a class="p-category" rel="tag" href="/tags/${encodeURIComponent(tag)}">#${tag}</a></li>`)}</ul>` : ""}
${view.counts && !view.permalink
  ? html`<a class="counts" href="/p/${post.id}#replies">${t.replies(view.counts.replies)} · ${t.likes(view.counts.likes)} · ${t.boosts(view.counts.shares)}</a>`
  : ""}
${view.owner ? html`<a class="edit" href="/admin/posts/${post.id}/edit">${t.edit}</a>` : ""}
${view.owner && view.permalink ? html`<a class="deliveries" href="/admin/posts/${post.id}/deliveries">${t.deliveries}</a>` : ""}
</footer>
${view.owner && view.permalink && view.csrf ? deleteForm(view.csrf, post.id) : ""}
</article>`;
}

export function formatDate(date: Date, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}
