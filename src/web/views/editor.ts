// The post editor, its live preview beside it, and the delete confirmation.
import { html, raw } from "hono/html";
import type { Visibility } from "../../../db/schema.ts";
import { adminMessages } from "../admin-i18n.ts";
import type { Locale } from "../i18n.ts";
import { staticUrl } from "../static-files.ts";
import { adminPage, csrfInput, errorBox, noticeBox } from "./admin-layout.ts";
import { previewContent, type EditorPreview } from "./editor-preview.ts";
import { languageSelect } from "./languages.ts";
import type { Html } from "./layout.ts";

export type { EditorPreview, MastodonPreview } from "./editor-preview.ts";

export interface EditorValues {
  readonly url: string;
  readonly title: string;
  readonly comment: string;
  readonly tags: string;
  readonly visibility: Visibility;
  readonly language: string;
  readonly pinned: boolean;
}

/** The form field an error is about, marked invalid and described by the error. */
export type EditorField = "url" | "title" | "comment" | "visibility";

export interface EditorOptions {
  readonly csrf: string;
  readonly locale: Locale;
  /** The post being edited; absent for a new post. */
  readonly postId?: string;
  readonly values: EditorValues;
  readonly knownTags: readonly string[];
  readonly error?: string;
  readonly errorField?: EditorField;
  readonly notice?: string;
  readonly preview?: EditorPreview;
  readonly source?: string;
  /** Minutes a deletion can be undone; 0: none. */
  readonly undoMinutes?: number;
}

export function editorPage(options: EditorOptions): Html {
  const { values } = options;
  const t = adminMessages(options.locale);
  const action = options.postId === undefined ? "/admin/posts" : `/admin/posts/${options.postId}`;
  const popup = options.source === "bookmarklet";
  const invalid = (field: EditorField) => (options.errorField === field ? raw(' aria-invalid="true" aria-describedby="form-error"') : "");
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: options.postId === undefined ? t.newPost : t.editPost,
    section: options.postId === undefined ? "new" : "dashboard",
    popup,
    mainClass: "editor-page",
    head: html`<script src="${staticUrl("editor.js")}" defer></script>`,
    body: html`<h1>${options.postId === undefined ? t.newPost : t.editPost}${options.postId ? html` <a class="hint view-post" href="/p/${options.postId}">${t.view}</a>` : ""}</h1>
${errorBox(options.error)}
${noticeBox(options.notice)}
<div class="editor-columns">
<form method="post" action="${action}" class="editor" data-preview="/admin/posts/preview">
${csrfInput(options.csrf)}
<button type="submit" name="action" value="preview" formaction="${action}#preview" class="implicit-submit" tabindex="-1" aria-hidden="true">${t.preview}</button>
${options.source ? html`<input type="hidden" name="source" value="${options.source}">` : ""}
<label for="url">${t.link}</label>
<div class="row"><input id="url" name="url" type="url" inputmode="url" placeholder="https://…" value="${values.url}"${invalid("url")}>
<button type="submit" name="action" value="fetch-title" class="secondary" formnovalidate>${t.fetchTitle}</button></div>
<p class="hint">${t.linkHint}</p>
<label for="title">${t.title}</label>
<input id="title" name="title" value="${values.title}" maxlength="1000"${invalid("title")}>
<label for="comment">${t.commentary} <span class="hint">${t.markdown}</span></label>
<textarea id="comment" name="comment" rows="${popup ? 5 : 12}"${invalid("comment")}>${values.comment}</textarea>
<label for="tags">${t.tagsLabel}</label>
<input id="tags" name="tags" value="${values.tags}" list="known-tags" autocomplete="off" placeholder="${t.tagsPlaceholder}">
<datalist id="known-tags">${options.knownTags.map((tag) => html`<option value="${tag}"></option>`)}</datalist>
<fieldset${invalid("visibility")}><legend>${t.visibility}</legend>
${(Object.keys(t.visibilities) as Visibility[]).map(
  (visibility) =>
    html`<label class="choice"><input type="radio" name="visibility" value="${visibility}"${visibility === values.visibility ? raw(" checked") : ""}> ${popup ? t.visibilityShort[visibility] : t.visibilities[visibility]}</label>`,
)}
</fieldset>
<div class="row">
<label class="choice"><input type="checkbox" name="pinned" value="on"${values.pinned ? raw(" checked") : ""}> ${t.pinned}</label>
<label for="language" class="inline">${t.language} ${languageSelect("language", values.language)}</label>
</div>
<div class="actions">
<span class="hint shortcut">${t.publishShortcut}</span>
${options.postId ? html`<a class="delete-link" href="/admin/posts/${options.postId}/delete">${t.deletePost}</a>` : ""}
<button type="submit" name="action" value="preview" formaction="${action}#preview" class="secondary">${t.preview}</button>
<button type="submit" name="action" value="save" class="publish">${options.postId === undefined ? t.publish : t.save}</button>
</div>
</form>
<section id="preview" class="editor-preview" aria-label="${t.preview}" aria-live="polite">
${options.preview ? previewContent(t, options.locale, options.preview) : html`<p class="hint">${t.previewPlaceholder}</p>`}
</section>
</div>
${options.postId ? deleteDialog(options.csrf, options.locale, options.postId, options.undoMinutes ?? 0) : ""}`,
  });
}

/** The confirmation the Delete link opens in place (with JavaScript). */
function deleteDialog(csrf: string, locale: Locale, postId: string, undoMinutes: number): Html {
  const t = adminMessages(locale);
  return html`<dialog id="delete-dialog" aria-labelledby="delete-title">
<h2 id="delete-title">${t.deleteTitle}</h2>
<p>${t.deleteExplain(undoMinutes)}</p>
${deleteConfirmForm(csrf, locale, postId, html`<button type="button" class="secondary" data-close-dialog>${t.cancel}</button>`)}
</dialog>`;
}

function deleteConfirmForm(csrf: string, locale: Locale, postId: string, cancel: Html): Html {
  const t = adminMessages(locale);
  return html`<form method="post" action="/admin/posts/${postId}/delete" class="actions">
${csrfInput(csrf)}
${cancel}
<button type="submit" class="danger confirm-delete">${t.confirmDelete}</button>
</form>`;
}

/** The confirmation page (without JavaScript, or from the blog). */
export function deleteConfirmPage(options: { csrf: string; locale: Locale; postId: string; title: string; undoMinutes: number }): Html {
  const t = adminMessages(options.locale);
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: t.deleteTitle,
    section: "dashboard",
    mainClass: "narrow",
    body: html`<h1>${t.deleteTitle}</h1>
<p><strong>${options.title}</strong></p>
<p>${t.deleteExplain(options.undoMinutes)}</p>
${deleteConfirmForm(options.csrf, options.locale, options.postId, html`<a class="button secondary" href="/admin/posts/${options.postId}/edit">${t.cancel}</a>`)}`,
  });
}

/** After publishing from the bookmarklet: the window closes itself (close-popup.js). */
export function publishedPopupPage(options: { csrf: string; locale: Locale; postId: string }): Html {
  const t = adminMessages(options.locale);
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: t.published,
    section: "none",
    popup: true,
    mainClass: "narrow",
    head: html`<script src="${staticUrl("close-popup.js")}" defer></script>`,
    body: html`<h1>${t.published}</h1>
<p>${t.closeWindow} <a href="/p/${options.postId}">${t.openPost}</a></p>`,
  });
}

/** The owner's Delete on the blog's permalink: it leads to the confirmation, never deletes at once. */
export function deleteForm(_csrf: string, postId: string, label = "Delete…"): Html {
  return html`<p class="danger-zone"><a class="delete-link" href="/admin/posts/${postId}/delete">${label}</a></p>`;
}
