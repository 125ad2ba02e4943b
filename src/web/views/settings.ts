import { html, raw } from "hono/html";
import type { AccountRow } from "../../data/account.ts";
import { variantUrl } from "../../content/media-names.ts";
import type { ProfileFormField } from "../../services/profile.ts";
import { MAX_FIELDS } from "../../services/profile.ts";
import { adminMessages } from "../admin-i18n.ts";
import type { Locale } from "../i18n.ts";
import { adminPage, csrfInput, errorBox, noticeBox } from "./admin-layout.ts";
import { languageSelect } from "./languages.ts";
import type { Html } from "./layout.ts";

/** What the form shows: the saved account, or what was typed when saving failed. */
export type SettingsValues = Pick<AccountRow, "display_name" | "summary" | "fields" | "default_visibility" | "language" | "locked" | "interface_language">;

export function settingsPage(options: {
  csrf: string;
  locale: Locale;
  account: AccountRow;
  values: SettingsValues;
  error?: string;
  errorField?: ProfileFormField;
  notice?: string;
}): Html {
  const { account, values } = options;
  const t = adminMessages(options.locale);
  const invalid = (field: ProfileFormField) => (options.errorField === field ? raw(' aria-invalid="true" aria-describedby="form-error"') : "");
  const fields = [...values.fields, ...Array(MAX_FIELDS).fill({ name: "", value: "" })].slice(0, MAX_FIELDS);
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: t.settingsTitle,
    section: "settings",
    body: html`<h1>${t.settingsTitle}</h1>
${errorBox(options.error)}
${noticeBox(options.notice)}
<form method="post" action="/admin/settings" enctype="multipart/form-data">
${csrfInput(options.csrf)}
<label for="display_name">${t.displayName}</label>
<input id="display_name" name="display_name" maxlength="100" value="${values.display_name}"${invalid("display_name")}>
<label for="summary">${t.bio}</label>
<textarea id="summary" name="summary" rows="4" maxlength="2000"${invalid("summary")}>${values.summary}</textarea>
<label for="avatar">${t.avatar} <span class="hint">${t.imageHint}</span></label>
${account.avatar_url ? html`<img class="avatar" src="${variantUrl(account.avatar_url, "s64.webp")}" srcset="${variantUrl(account.avatar_url, "s192.webp")} 2x" alt="${t.currentAvatar}" width="64" height="64">` : ""}
<input id="avatar" name="avatar" type="file" accept="image/png,image/jpeg,image/gif,image/webp"${invalid("avatar")}>
<label for="header">${t.header} <span class="hint">${t.imageHint}</span></label>
${account.header_url ? html`<img class="header-preview" src="${variantUrl(account.header_url, "w700.webp")}" alt="${t.currentHeader}">` : ""}
<input id="header" name="header" type="file" accept="image/png,image/jpeg,image/gif,image/webp"${invalid("header")}>
<fieldset${invalid("fields")}><legend>${t.profileFields}</legend>
<p class="hint">${t.profileFieldsHint}</p>
${fields.map(
  (field, i) => html`<div class="row"><input name="field_name_${i}" aria-label="${t.fieldLabel} ${i + 1}" placeholder="${t.fieldLabel}" value="${field.name}">
<input name="field_value_${i}" aria-label="${t.fieldContent} ${i + 1}" placeholder="${t.fieldContent}" value="${field.value}"></div>`,
)}
</fieldset>
<label for="default_visibility">${t.defaultVisibility}</label>
<select id="default_visibility" name="default_visibility"${invalid("default_visibility")}>
${(["public", "unlisted", "followers", "private"] as const).map(
  (v) => html`<option value="${v}"${values.default_visibility === v ? raw(" selected") : ""}>${t.visibilityShort[v]}</option>`,
)}
</select>
<label for="language">${t.defaultLanguage}</label>
${languageSelect("language", values.language)}
<label for="interface_language">${t.interfaceLanguage}</label>
<select id="interface_language" name="interface_language">
${[["auto", t.browserLanguage], ["en", "English"], ["fr", "Français"]].map(
  ([value, label]) => html`<option value="${value}"${values.interface_language === value ? raw(" selected") : ""}>${label}</option>`,
)}
</select>
<label class="choice"><input type="checkbox" name="locked" value="on"${values.locked ? raw(" checked") : ""}> ${t.locked}</label>
<button type="submit">${t.save}</button>
</form>`,
  });
}
