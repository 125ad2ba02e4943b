// A post as the blog shows it: link title and domain, commentary (an excerpt in lists), link
// card, tags, date, counts. French posts are set in French typography here, at render, so that
// posts saved before keep up with the rules and the owner's text stays as typed in the editor.
import { html, raw } from "hono/html";
import type { PostRow } from "../../data/posts.ts";
import type { InteractionCounts } from "../../data/interaction-counts.ts";
import { archiveTodayUrl, waybackUrl } from "../../content/archive-links.ts";
import { excerptHtml } from "../../content/excerpt.ts";
import { frenchHtml, frenchText, isFrench } from "../../content/typography.ts";
import type { Messages } from "../i18n.ts";
import { deleteForm } from "./editor.ts";
import type { Html } from "./layout.ts";

export interface PostView {
  readonly t: Messages;
  readonly owner: boolean;
  readonly counts?: InteractionCounts;
  readonly permalink?: boolean;
  /** The whole commentary even outside the permalink (the editor's preview has nowhere to link). */
  readonly fullText?: boolean;
  readonly csrf?: string;
  /** An excerpt with highlighted matches, shown instead of the commentary (search results). */
  readonly excerpt?: string;
  /** The link is dead: its archived copies are offered instead. */
  readonly deadLink?: boolean;
}

export function postArticle(post: PostRow, view: PostView): Html {
  const { t } = view;
  const french = isFrench(post.language);
  const typeset = (text: string) => (french ? frenchText(text) : text);
  const typesetHtml = (text: string) => (french ? frenchHtml(text) : text);
  const domain = post.url === null ? null : new URL(post.url).host.replace(/^www\./, "");
  const marks: Record<PostRow["visibility"], string> = { public: "", unlisted: t.unlisted, followers: t.followersOnly, private: t.private };
  const heading = view.permalink ? "h1" : "h2";
  // A link saved without a title has its URL as title: shown shortened, and allowed to wrap.
  const untitled = post.url !== null && post.title === post.url;
  const titleText = untitled ? shortUrl(post.url!) : typeset(post.title);
  const title =
    post.url === null
      ? html`<a href="/p/${post.id}">${titleText}</a>`
      : html`<a class="u-bookmark-of${untitled ? " url-title" : ""}" href="${post.url}" rel="nofollow noopener noreferrer">${titleText}</a>`;
  const preview = post.preview;
  const excerpt = view.permalink || view.fullText || !post.comment_html ? null : excerptHtml(post.comment_html);
  return html`<article class="post h-entry${post.visibility === "public" ? "" : ` ${post.visibility}`}" lang="${post.language}">
<header class="post-header">
${raw(`<${heading} class="post-title p-name">`)}${title}${raw(`</${heading}>`)}
${domain === null || untitled ? "" : html`<p class="domain">${domain}</p>`}
${post.pinned ? html`<span class="visibility-mark">${t.pinned}</span> ` : ""}${marks[post.visibility] ? html`<span class="visibility-mark">${marks[post.visibility]}</span>` : ""}
</header>
${view.deadLink && post.url
  ? html`<p class="dead-link">${t.deadLink} <a href="${waybackUrl(post.url, post.published_at)}" rel="nofollow noopener noreferrer">Wayback Machine</a> · <a href="${archiveTodayUrl(post.url)}" rel="nofollow noopener noreferrer">archive.today</a></p>`
  : ""}
${view.excerpt !== undefined
  ? html`<p class="excerpt">${raw(typesetHtml(view.excerpt))}</p>`
  : excerpt !== null
    ? html`<div class="commentary ${excerpt.truncated ? "p-summary" : "e-content"}">${raw(typesetHtml(excerpt.html))}${excerpt.truncated ? html` <a class="more" href="/p/${post.id}">${t.readMore}<span class="visually-hidden">${t.readMoreOf(titleText)}</span></a>` : ""}</div>`
    : post.comment_html
      ? html`<div class="commentary e-content">${raw(typesetHtml(post.comment_html))}</div>`
      : ""}
${view.permalink && post.url && preview && (preview.title || preview.image)
  ? html`<a class="card" href="${post.url}" rel="nofollow noopener noreferrer">
${preview.image ? html`<img src="${preview.image}" alt="${preview.imageAlt ?? ""}" loading="lazy">` : ""}
<span class="card-text"><span class="hint">${preview.siteName ?? domain}</span><strong>${preview.title ?? post.title}</strong>${preview.description ? html`<span>${preview.description}</span>` : ""}</span></a>`
  : ""}
<footer class="post-meta">
<a class="u-url date" href="/p/${post.id}"><time class="dt-published" datetime="${post.published_at.toISOString()}">${formatDate(post.published_at, post.language)}</time></a>
${post.tags.length > 0 ? html`<ul class="tags">${post.tags.map((tag) => html`<li><a class="p-category" rel="tag" href="/tags/${encodeURIComponent(tag)}">#${tag}</a></li>`)}</ul>` : ""}
${view.counts && !view.permalink ? countsLink(t, post.id, view.counts) : ""}
${view.owner ? html`<a class="edit" href="/admin/posts/${post.id}/edit">${t.edit}</a>` : ""}
${view.owner && view.permalink ? html`<a class="deliveries" href="/admin/posts/${post.id}/deliveries">${t.deliveries}</a>` : ""}
</footer>
${view.owner && view.permalink && view.csrf ? deleteForm(view.csrf, post.id, t.deletePost) : ""}
</article>`;
}

/** Replies, likes and boosts, only those there are: nothing at all for a post nobody answered. */
function countsLink(t: Messages, id: string, counts: InteractionCounts): Html | "" {
  const parts = [
    counts.replies > 0 ? t.replies(counts.replies) : "",
    counts.likes > 0 ? t.likes(counts.likes) : "",
    counts.shares > 0 ? t.boosts(counts.shares) : "",
  ].filter((part) => part !== "");
  return parts.length === 0 ? "" : html`<a class="counts" href="/p/${id}#replies">${parts.join(" · ")}</a>`;
}

/** A URL made readable as a title: no scheme or www, at most ~70 characters. */
export function shortUrl(url: string): string {
  const text = url.replace(/^https?:\/\/(www\.)?/u, "").replace(/\/$/u, "");
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

export function formatDate(date: Date, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}
