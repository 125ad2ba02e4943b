// Uploaded images, decoded and encoded again with sharp: the original is stored without its
// metadata (EXIF carries a photo's GPS position), turned upright, capped at the size that any
// reader needs, in its own format (Mastodon reads PNG, JPEG, GIF and WebP); then the copies
// pages show, in WebP, made once here and never per request.
import { createHash } from "node:crypto";
import sharp, { type FormatEnum } from "sharp";
import { getMediaOriginal, insertMedia } from "../data/media.ts";
import type { Db } from "../data/client.ts";
import { AVATAR_VARIANTS, HEADER_VARIANTS, ORIGINAL_TYPES, parseVariant, type VariantName } from "../content/media-names.ts";

/** 40 megapixels: a small file that unpacks to more (a decompression bomb) is refused. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** The stored original's largest side: an avatar federates at 400 px, a header at 1500. */
const ORIGINAL_CAP = { avatar: 400, header: 1500 } as const;

export type ImageRole = keyof typeof ORIGINAL_CAP;
export type ImageError = "invalid-image" | "image-too-many-pixels";

const FORMATS: Record<string, keyof FormatEnum> = { png: "png", jpeg: "jpeg", gif: "gif", webp: "webp" };
const EXTENSIONS: Record<string, string> = { png: "png", jpeg: "jpg", gif: "gif", webp: "webp" };

export interface PreparedImage {
  /** The original's name: a hash of its stored bytes, and its extension. */
  readonly id: string;
  readonly files: readonly { readonly id: string; readonly contentType: string; readonly bytes: Uint8Array }[];
}

/** An upload made ready to store: the original and its copies, or why it cannot be. */
export async function prepareImage(role: ImageRole, bytes: Uint8Array): Promise<{ ok: true; image: PreparedImage } | { ok: false; error: ImageError }> {
  const original = await normalize(role, bytes);
  if (!original.ok) return original;
  const base = createHash("sha256").update(original.bytes).digest("base64url").slice(0, 22);
  const id = `${base}.${original.extension}`;
  const files: PreparedImage["files"][number][] = [{ id, contentType: ORIGINAL_TYPES[original.extension]!, bytes: original.bytes }];
  for (const variant of role === "avatar" ? AVATAR_VARIANTS : HEADER_VARIANTS) {
    const name = parseVariant(`${base}.${variant}`)!;
    files.push({ id: `${base}.${variant}`, contentType: `image/${name.format}`, bytes: await resize(original.bytes, name) });
  }
  return { ok: true, image: { id, files } };
}

export async function storeImage(db: Db, image: PreparedImage): Promise<void> {
  for (const file of image.files) await insertMedia(db, file.id, file.contentType, file.bytes);
}

/**
 * A copy asked for by its URL and not stored yet (images uploaded before copies were made, or a
 * size added since): made from the original once, stored, and served from then on.
 */
export async function makeVariant(db: Db, id: string): Promise<{ content_type: string; bytes: Uint8Array } | undefined> {
  const name = parseVariant(id);
  if (name === undefined) return undefined;
  const original = await getMediaOriginal(db, name.base, Object.keys(ORIGINAL_TYPES));
  if (original === undefined) return undefined;
  try {
    const bytes = await resize(original.bytes, name);
    const stored = { content_type: `image/${name.format}`, bytes };
    await insertMedia(db, id, stored.content_type, bytes);
    return stored;
  } catch {
    return undefined;
  }
}

async function normalize(role: ImageRole, bytes: Uint8Array) {
  try {
    const input = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, animated: true });
    const { format } = await input.metadata();
    const target = FORMATS[format];
    if (target === undefined) return { ok: false as const, error: "invalid-image" as const };
    const cap = ORIGINAL_CAP[role];
    // sharp writes no metadata unless asked: EXIF, XMP and comments are left behind.
    const output = await input.autoOrient().resize(cap, cap, { fit: "inside", withoutEnlargement: true }).toFormat(target).toBuffer();
    return { ok: true as const, bytes: new Uint8Array(output), extension: EXTENSIONS[format]! };
  } catch (error) {
    const tooMany = error instanceof Error && /pixel limit/i.test(error.message);
    return { ok: false as const, error: tooMany ? ("image-too-many-pixels" as const) : ("invalid-image" as const) };
  }
}

async function resize(bytes: Uint8Array, name: VariantName): Promise<Uint8Array> {
  const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).autoOrient();
  const sized =
    name.fit === "square"
      ? image.resize(name.size, name.size, { fit: "cover" })
      : image.resize({ width: name.size, withoutEnlargement: true });
  const output = name.format === "png" ? await sized.png({ compressionLevel: 9 }).toBuffer() : await sized.webp({ quality: 80 }).toBuffer();
  return new Uint8Array(output);
}
