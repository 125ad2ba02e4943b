// The owner's profile: what Mastodon shows on the account page. Every change is sent to
// followers as Update(Person), so it shows without waiting for their servers to refetch.
import { getLogger } from "@logtape/logtape";
import type { ProfileField, Visibility } from "../../db/schema.ts";
import { updateAccount } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import { prepareImage, storeImage, type PreparedImage } from "./images.ts";
import { VISIBILITIES } from "./publishing.ts";

const logger = getLogger(["glose", "profile"]);

export const MAX_FIELDS = 4;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const MAX_DISPLAY_NAME = 100;
export const MAX_SUMMARY = 2000;

export interface ProfileDeps {
  readonly db: Db;
  readonly origin: string;
  /** Sends Update(Person) to followers. */
  readonly profileChanged: () => Promise<void>;
}

export interface ImageUpload {
  readonly type: string;
  readonly bytes: Uint8Array;
}

export interface ProfileInput {
  readonly displayName: string;
  readonly summary: string;
  readonly fields: readonly ProfileField[];
  readonly defaultVisibility: string;
  readonly language: string;
  readonly locked: boolean;
  /** "auto" (the reader's browser), "en" or "fr". */
  readonly interfaceLanguage?: string;
  readonly avatar?: ImageUpload | null;
  readonly header?: ImageUpload | null;
}

export type ProfileError = "too-long" | "invalid-visibility" | "invalid-language" | "invalid-image" | "image-too-large" | "image-too-many-pixels";

export const INTERFACE_LANGUAGES = ["auto", "en", "fr"] as const;

/** The form field a refusal is about. */
export type ProfileFormField = "display_name" | "summary" | "fields" | "default_visibility" | "language" | "avatar" | "header";

export async function updateProfile(
  deps: ProfileDeps,
  input: ProfileInput,
): Promise<{ ok: true } | { ok: false; error: ProfileError; field: ProfileFormField }> {
  const displayName = input.displayName.trim();
  const summary = input.summary.replace(/\r\n?/g, "\n").trim();
  if (displayName.length > MAX_DISPLAY_NAME) return { ok: false, error: "too-long", field: "display_name" };
  if (summary.length > MAX_SUMMARY) return { ok: false, error: "too-long", field: "summary" };
  if (!VISIBILITIES.includes(input.defaultVisibility as Visibility)) return { ok: false, error: "invalid-visibility", field: "default_visibility" };
  const language = input.language.trim();
  if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language)) return { ok: false, error: "invalid-language", field: "language" };
  const fields = input.fields
    .map((field) => ({ name: field.name.trim(), value: field.value.trim() }))
    .filter((field) => field.name !== "" || field.value !== "")
    .slice(0, MAX_FIELDS);
  if (fields.some((field) => field.name.length > 255 || field.value.length > 2047)) return { ok: false, error: "too-long", field: "fields" };

  const changes: Parameters<typeof updateAccount>[1] = {
    display_name: displayName,
    summary,
    fields,
    default_visibility: input.defaultVisibility,
    language,
    locked: input.locked,
    interface_language: INTERFACE_LANGUAGES.find((value) => value === input.interfaceLanguage) ?? "auto",
  };
  const uploads = (
    [
      ["avatar", "avatar_url", input.avatar],
      ["header", "header_url", input.header],
    ] as const
  ).filter(([, , upload]) => upload !== undefined && upload !== null && upload.bytes.byteLength > 0);
  for (const [field, , upload] of uploads) {
    if (!looksLikeImage(upload!.bytes)) return { ok: false, error: "invalid-image", field };
    if (upload!.bytes.byteLength > MAX_IMAGE_BYTES) return { ok: false, error: "image-too-large", field };
  }
  // Both decoded before either is stored: a refused form stores nothing.
  const prepared: (readonly ["avatar_url" | "header_url", PreparedImage])[] = [];
  for (const [field, column, upload] of uploads) {
    const result = await prepareImage(field, upload!.bytes);
    if (!result.ok) return { ok: false, error: result.error, field };
    prepared.push([column, result.image]);
  }
  for (const [column, image] of prepared) {
    await storeImage(deps.db, image);
    changes[column] = new URL(`/media/${image.id}`, deps.origin).href;
  }
  await updateAccount(deps.db, changes);
  try {
    await deps.profileChanged();
  } catch (error) {
    logger.error("Could not queue the profile update: {error}", { error });
  }
  return { ok: true };
}

/** PNG, JPEG, GIF or WebP magic numbers: the declared type alone is the browser's guess. */
function looksLikeImage(bytes: Uint8Array): boolean {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  return (
    starts(0x89, 0x50, 0x4e, 0x47) ||
    starts(0xff, 0xd8, 0xff) ||
    starts(0x47, 0x49, 0x46, 0x38) ||
    (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50)
  );
}
