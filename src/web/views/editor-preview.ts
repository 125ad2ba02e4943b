// The editor's preview: the post as a Mastodon follower sees it, and as the blog shows it.
import { html, raw } from "hono/html";
import type { LinkPreview } from "../../../db/schema.ts";
import { variantUrl } from "../../content/media-names.ts";
import type { PostRow } from "../../data/posts.ts";
import type { AdminMessages } from "../admin-i18n.ts";
import { messages, type Locale } from "../i18n.ts";
import type { Html } from "./layout.ts";
import { postArticle } from "./post.ts";

export interface MastodonPreview {
  readonly displayName: string;
  readonly handle: string;
  readonly avatarUrl: string | null;
  /** The Note's content HTML, already sanitized. */
  readonly contentHtml: string;
  readonly card: (LinkPreview & { url: string }) | null;
  readonly length: number;
  /** The `@user@server` handles of the commentary, and whether each was found. */
  readonly mentions: readonly { readonly handle: string; readonly resolved: boolean }[];
}

export interface EditorPreview {
  readonly mastodon: MastodonPreview;
  /** The post as the blog would store it, never saved. */
  readonly blog: PostRow;
}

/** The inside of the preview panel; the live preview replaces it with the endpoint's answer. */
export function previewContent(t: AdminMessages, locale: Locale, preview: EditorPreview): Html {
  const { mastodon } = preview;
  const card = mastodon.card;
  return html`<h2>${t.onMastodon}</h2>
<article class="status">
<header>${mastodon.avatarUrl ? html`<img class="avatar" src="${variantUrl(mastodon.avatarUrl, "s64.webp")}" srcset="${variantUrl(mastodon.avatarUrl, "s96.webp")} 2x" alt="" width="46" height="46">` : html`<span class="avatar"></span>`}
<span><strong>${mastodon.displayName}</strong><br><span class="hint">${mastodon.handle}</span></span></header>
<div class="status-content">${raw(mastodon.contentHtml)}</div>
${card
  ? html`<a class="card" href="${card.url}" rel="nofollow noopener noreferrer">
${card.image ? html`<img src="${card.image}" alt="${card.imageAlt ?? ""}" loading="lazy">` : ""}
<span class="card-text"><span class="hint">${card.siteName ?? new URL(card.url).host}</span>
<strong>${card.title ?? card.url}</strong>
${card.description ? html`<span>${card.description}</span>` : ""}</span></a>`
  : preview.blog.url
    ? html`<p class="hint">${t.noCard}</p>`
    : ""}
</article>
${mastodon.mentions.length > 0
  ? html`<ul class="mentions" aria-label="Mentions">${mastodon.mentions.map((mention) =>
      mention.resolved ? html`<li>${t.mentionFound(mention.handle)}</li>` : html`<li class="error">${t.mentionMissing(mention.handle)}</li>`,
    )}</ul>`
  : ""}
<p class="hint">${t.length(mastodon.length)}</p>
<h2>${t.onBlog}</h2>
<div class="blog-preview">${postArticle(preview.blog, { t: messages(locale), owner: false, fullText: true })}</div>`;
}
