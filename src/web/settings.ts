// Profile and settings: what Mastodon shows of the account, and the editor's defaults.
import { Hono, type Context } from "hono";
import { getAccount } from "../data/account.ts";
import { MAX_DISPLAY_NAME, MAX_FIELDS, MAX_SUMMARY, updateProfile, type ImageUpload, type ProfileError, type ProfileFormField } from "../services/profile.ts";
import { adminMessages, type AdminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { settingsPage, type SettingsValues } from "./views/settings.ts";

export function settingsRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/", async (c) => {
    const account = await getAccount(deps.db);
    if (account === undefined) return c.redirect("/admin", 303);
    const t = adminMessages(c.get("locale"));
    return c.html(settingsPage({ csrf: c.get("csrf"), locale: c.get("locale"), account, values: account, notice: c.req.query("saved") ? t.saved : undefined }));
  });

  routes.post("/", async (c) => {
    const form = await c.req.parseBody();
    const image = async (name: string): Promise<ImageUpload | null> => {
      const file = form[name];
      return file instanceof File && file.size > 0 ? { type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
    };
    const values = readSettingsForm(form);
    const result = await updateProfile(deps.profile, {
      displayName: values.display_name,
      summary: values.summary,
      fields: values.fields,
      defaultVisibility: values.default_visibility,
      language: values.language,
      locked: values.locked,
      interfaceLanguage: values.interface_language,
      avatar: await image("avatar"),
      header: await image("header"),
    });
    if (result.ok) return c.redirect("/admin/settings?saved=1", 303);
    const account = (await getAccount(deps.db))!;
    const t = adminMessages(c.get("locale"));
    const error = profileError(t, result.error, result.field, values);
    // What was typed comes back; only the files must be chosen again (browsers cannot be given them).
    return c.html(settingsPage({ csrf: c.get("csrf"), locale: c.get("locale"), account, values, error, errorField: result.field }), 400);
  });

  return routes;
}

/**
 * After a login that carried the settings' draft (the session had run out as the owner saved
 * them): the page filled with it, saved only when the owner presses Save. Files are not carried.
 */
export async function settingsWithDraft(deps: WebDeps, c: Context<WebEnv>, fields: Record<string, string>): Promise<Response> {
  const account = await getAccount(deps.db);
  if (account === undefined) return c.redirect("/admin", 303);
  const notice = adminMessages(c.get("locale")).settingsDraftRestored;
  return c.html(settingsPage({ csrf: c.get("csrf"), locale: c.get("locale"), account, values: readSettingsForm(fields), notice }));
}

function readSettingsForm(form: Record<string, string | File | (string | File)[]>): SettingsValues {
  const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
  return {
    display_name: text("display_name"),
    summary: text("summary"),
    fields: Array.from({ length: MAX_FIELDS }, (_, i) => ({ name: text(`field_name_${i}`), value: text(`field_value_${i}`) })),
    default_visibility: text("default_visibility"),
    language: text("language"),
    locked: text("locked") === "on",
    interface_language: text("interface_language"),
  };
}

function profileError(t: AdminMessages, error: ProfileError, field: ProfileFormField, values: SettingsValues): string {
  const label = field === "avatar" ? t.avatar : t.header;
  switch (error) {
    case "too-long":
      if (field === "display_name") return t.tooLong(t.displayName, MAX_DISPLAY_NAME, values.display_name.trim().length);
      if (field === "summary") return t.tooLong(t.bio, MAX_SUMMARY, values.summary.replace(/\r\n?/g, "\n").trim().length);
      return t.profileFieldTooLong;
    case "invalid-visibility":
      return t.invalidVisibility;
    case "invalid-language":
      return t.invalidLanguage;
    case "invalid-image":
      return t.invalidImage(label);
    case "image-too-large":
      return t.imageTooLarge(label);
    case "image-too-many-pixels":
      return t.imageTooManyPixels(label);
  }
}
