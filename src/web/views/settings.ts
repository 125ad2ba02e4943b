import { html, raw } from "hono/html";
import type { AccountRow } from "../../data/account.ts";
import { MAX_FIELDS } from "../../services/profile.ts";
import { variantUrl } from "../../content/media-names.ts";
import { CSRF_FIELD } from "../security.ts";
import { languageSelect } from "./languages.ts";
import { page, type Html } from "./layout.ts";

export function settingsPage(options: { csrf: string; account: AccountRow; error?: string; notice?: string }): Html {
  const { account } = options;
  const fields = [...account.fields, ...Array(MAX_FIELDS).fill({ name: "", value: "" })].slice(0, MAX_FIELDS);
  return page({
    title: "Profile and settings · Glose",
    body: html`<main>
<nav class="admin-nav"><a href="/admin">← Admin</a></nav>
<h1>Profile and settings</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
<form method="post" action="/admin/settings" enctype="multipart/form-data">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}">
<label for="display_name">Display name</label>
<input id="display_name" name="display_name" maxlength="100" value="${account.display_name}">
<label for="summary">Bio</label>
<textarea id="summary" name="summary" rows="4" maxlength="2000">${account.summary}</textarea>
<label for="avatar">Avatar <span class="hint">(PNG, JPEG, GIF or WebP, 2 MB at most)</span></label>
${account.avatar_url ? html`<img class="avatar" src="${variantUrl(account.avatar_url, "s64.webp")}" srcset="${variantUrl(account.avatar_url, "s192.webp")} 2x" alt="Current avatar" width="64" height="64">` : ""}
<input id="avatar" name="avatar" type="file" accept="image/png,image/jpeg,image/gif,image/webp">
<label for="header">Header image</label>
${account.header_url ? html`<img class="header-preview" src="${variantUrl(account.header_url, "w700.webp")}" alt="Current header">` : ""}
<input id="header" name="header" type="file" accept="image/png,image/jpeg,image/gif,image/webp">
<fieldset><legend>Profile fields</legend>
<p class="hint">Shown on your Mastodon profile. A link to a page that links back to your blog with rel="me" gets a green check.</p>
${fields.map(
  (field, i) => html`<div class="row"><input name="field_name_${i}" aria-label="Label ${i + 1}" placeholder="Label" value="${field.name}">
<input name="field_value_${i}" aria-label="Content ${i + 1}" placeholder="Content" value="${field.value}"></div>`,
)}
</fieldset>
<label for="default_visibility">Default visibility of new posts</label>
<select id="default_visibility" name="default_visibility">
${["public", "unlisted", "followers", "private"].map(
  (v) => html`<option value="${v}"${account.default_visibility === v ? raw(" selected") : ""}>${v}</option>`,
)}
</select>
<label for="language">Default language of posts</label>
${languageSelect("language", account.language)}
<label for="interface_language">Language of the blog's pages</label>
<select id="interface_language" name="interface_language">
${[["auto", "Each reader's browser language"], ["en", "English"], ["fr", "Français"]].map(
  ([value, label]) => html`<option value="${value}"${account.interface_language === value ? raw(" selected") : ""}>${label}</option>`,
)}
</select>
<label class="choice"><input type="checkbox" name="locked" value="on"${account.locked ? raw(" checked") : ""}> Approve new followers by hand</label>
<button type="submit">Save</button>
</form>
</main>`,
  });
}
