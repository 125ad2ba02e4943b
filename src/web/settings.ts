// Profile and settings: what Mastodon shows of the account, and the editor's defaults.
import { Hono } from "hono";
import { getAccount } from "../data/account.ts";
import { updateProfile, type ImageField, type ImageUpload, type ProfileError } from "../services/profile.ts";
import { MAX_FIELDS } from "../services/profile.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { settingsPage } from "./views/settings.ts";

const PROFILE_ERRORS: Record<ProfileError, string> = {
  "too-long": "A value is too long: display names hold 100 characters, bios 2,000.",
  "invalid-visibility": "Choose a default visibility.",
  "invalid-language": "The language must be a code such as fr, en or pt-BR.",
  "invalid-image": "Images must be PNG, JPEG, GIF or WebP files.",
  "image-too-large": "Images must weigh 2 MB at most.",
  "image-too-many-pixels": "Images must hold 40 million pixels at most.",
};
const FIELD_NAMES: Record<ImageField, string> = { avatar: "The avatar", header: "The header image" };

export function settingsRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/", async (c) => {
    const account = await getAccount(deps.db);
    if (account === undefined) return c.redirect("/admin", 303);
    return c.html(settingsPage({ csrf: c.get("csrf"), account, notice: c.req.query("saved") ? "Saved." : undefined }));
  });

  routes.post("/", async (c) => {
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
    const image = async (name: string): Promise<ImageUpload | null> => {
      const file = form[name];
      return file instanceof File && file.size > 0 ? { type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : null;
    };
    const result = await updateProfile(deps.profile, {
      displayName: text("display_name"),
      summary: text("summary"),
      fields: Array.from({ length: MAX_FIELDS }, (_, i) => ({ name: text(`field_name_${i}`), value: text(`field_value_${i}`) })),
      defaultVisibility: text("default_visibility"),
      language: text("language"),
      locked: text("locked") === "on",
      interfaceLanguage: text("interface_language"),
      avatar: await image("avatar"),
      header: await image("header"),
    });
    if (result.ok) return c.redirect("/admin/settings?saved=1", 303);
    const account = (await getAccount(deps.db))!;
    const error = result.field === undefined ? PROFILE_ERRORS[result.error] : `${FIELD_NAMES[result.field]}: ${PROFILE_ERRORS[result.error]}`;
    return c.html(settingsPage({ csrf: c.get("csrf"), account, error }), 400);
  });

  return routes;
}
