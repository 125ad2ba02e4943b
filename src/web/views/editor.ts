// The post editor, with the preview of what a Mastodon follower will see.
import { html, raw } from "hono/html";
import type { LinkPreview, Visibility } from "../../../db/schema.ts";
import { CSRF_FIELD } from "../security.ts";
import { page, type Html } from "./layout.ts";
import { staticUrl } from "../static-files.ts";
import { variantUrl } from "../../content/media-names.ts";
import { languageSelect } from "./languages.ts";

export interface EditorValues {
  readonly url: string;
  readonly title: string;
  readonly comment: string;
  readonly tags: string;
  readonly visibility: Visibility;
  readonly language: string;
  readonly pinned: boolean;
}

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

export interface EditorOptions {
  readonly csrf: string;
  /** The post being edited; absent for a new post. */
  readonly postId?: string;
  readonly values: EditorValues;
  readonly knownTags: readonly string[];
  readonly error?: string;
  readonly notice?: string;
  readonly preview?: MastodonPreview;
  readonly source?: string;
}

const VISIBILITY_LABELS: Record<Visibility, string> = {
  public: "Public — in followers' timelines and on the blog",
  unlisted: "Unlisted — on the blog and to followers, out of public timelines",
  followers: "Followers only — sent to followers, hidden from the blog",
  private: "Private — only you see it, never sent",
};

export function editorPage(options: EditorOptions): Html {
  const { values } = options;
  const action = options.postId === undefined ? "/admin/posts" : `/admin/posts/${options.postId}`;
  return page({
    title: options.postId === undefined ? "New post · Glose" : "Edit post · Glose",
    head: html`<script src="${staticUrl("editor.js")}" defer></script>`,
    body: html`<main class="wide">
<nav class="admin-nav"><a href="/admin">← Admin</a>${options.postId ? html` · <a href="/p/${options.postId}">View post</a>` : ""}</nav>
<h1>${options.postId === undefined ? "New post" : "Edit post"}</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
<form method="post" action="${action}" class="editor">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}">
${options.source ? html`<input type="hidden" name="source" value="${options.source}">` : ""}
<label for="url">Link</label>
<div class="row"><input id="url" name="url" type="url" inputmode="url" placeholder="https://…" value="${values.url}">
<button type="submit" name="action" value="fetch-title" class="secondary" formnovalidate>Fetch title</button></div>
<p class="hint">Optional: without a link, the post is a note.</p>
<label for="title">Title</label>
<input id="title" name="title" value="${values.title}" maxlength="1000">
<label for="comment">Commentary <span class="hint">(Markdown)</span></label>
<textarea id="comment" name="comment" rows="12">${values.comment}</textarea>
<label for="tags">Tags</label>
<input id="tags" name="tags" value="${values.tags}" list="known-tags" autocomplete="off" placeholder="space-separated">
<datalist id="known-tags">${options.knownTags.map((tag) => html`<option value="${tag}"></option>`)}</datalist>
<fieldset><legend>Visibility</legend>
${(Object.keys(VISIBILITY_LABELS) as Visibility[]).map(
  (visibility) => html`<label class="choice"><input type="radio" name="visibility" value="${visibility}"${visibility === values.visibility ? raw(" checked") : ""}> ${VISIBILITY_LABELS[visibility]}</label>`,
)}
</fieldset>
<div class="row">
<label class="choice"><input type="checkbox" name="pinned" value="on"${values.pinned ? raw(" checked") : ""}> Pinned</label>
<label for="language" class="inline">Language ${languageSelect("language", values.language)}</label>
</div>
<div class="actions">
<button type="submit" name="action" value="preview" class="secondary">Preview</button>
<button type="submit" name="action" value="save">${options.postId === undefined ? "Publish" : "Save"}</button>
</div>
</form>
${options.preview ? mastodonPreview(options.preview) : ""}
${options.postId ? deleteForm(options.csrf, options.postId) : ""}
</main>`,
  });
}

export function deleteForm(csrf: string, postId: string): Html {
  return html`<form method="post" action="/admin/posts/${postId}/delete" class="danger-zone">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<button type="submit" class="danger">Delete this post</button>
</form>`;
}

function mastodonPreview(preview: MastodonPreview): Html {
  const card = preview.card;
  return html`<section class="mastodon-preview" aria-label="Preview">
<h2>As your followers will see it on Mastodon</h2>
<article class="status">
<header>${preview.avatarUrl ? html`<img class="avatar" src="${variantUrl(preview.avatarUrl, "s64.webp")}" srcset="${variantUrl(preview.avatarUrl, "s96.webp")} 2x" alt="" width="46" height="46">` : html`<span class="avatar"></span>`}
<span><strong>${preview.displayName}</strong><br><span class="hint">${preview.handle}</span></span></header>
<div class="status-content">${raw(preview.contentHtml)}</div>
${card
  ? html`<a class="card" href="${card.url}" rel="nofollow noopener noreferrer">
${card.image ? html`<img src="${card.image}" alt="${card.imageAlt ?? ""}" loading="lazy">` : ""}
<span class="card-text"><span class="hint">${card.siteName ?? new URL(card.url).host}</span>
<strong>${card.title ?? card.url}</strong>
${card.description ? html`<span>${card.description}</span>` : ""}</span></a>`
  : html`<p class="hint">No link card: Mastodon builds it from the linked page, which gave no title.</p>`}
</article>
${preview.mentions.length > 0
  ? html`<ul class="mentions" aria-label="Mentions">${preview.mentions.map((mention) =>
      mention.resolved
        ? html`<li>${mention.handle}: found, will be notified</li>`
        : html`<li class="error">${mention.handle}: not found, stays plain text</li>`,
    )}</ul>`
  : ""}
<p class="hint">${preview.length} characters. Mastodon shows long posts in full, but its own posts stop at 500.</p>
</section>`;
}
