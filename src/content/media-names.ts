// Names of uploaded images and of their resized copies. An original is `<hash>.<ext>`; its copies
// are `<hash>.s96.webp` (a 96 px square, for avatars) or `<hash>.w700.webp` (700 px wide, for the
// header), and `.png` squares for icons. A copy's URL derives from the original's, so a page only
// needs the original's URL to offer every size.

export const ORIGINAL_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

/** The sizes pages show: the header icon at 1x and 2x, the profile's at 1x and 2x, favicons. */
export const AVATAR_VARIANTS = ["s32.webp", "s64.webp", "s96.webp", "s192.webp", "s32.png", "s180.png"] as const;
/** The header on a phone and across the page's column at 2x. */
export const HEADER_VARIANTS = ["w700.webp", "w1500.webp"] as const;
const VARIANTS: ReadonlySet<string> = new Set([...AVATAR_VARIANTS, ...HEADER_VARIANTS]);

export type Variant = (typeof AVATAR_VARIANTS)[number] | (typeof HEADER_VARIANTS)[number];

export interface VariantName {
  /** The original's name without its extension. */
  readonly base: string;
  readonly fit: "square" | "width";
  readonly size: number;
  readonly format: "webp" | "png";
}

/** The parts of a copy's name, or undefined when `id` is not one of the sizes made. */
export function parseVariant(id: string): VariantName | undefined {
  const match = /^([A-Za-z0-9_-]+)\.(([sw])(\d+)\.(webp|png))$/.exec(id);
  if (match === null || !VARIANTS.has(match[2]!)) return undefined;
  return { base: match[1]!, fit: match[3] === "s" ? "square" : "width", size: Number(match[4]), format: match[5] as "webp" | "png" };
}

/** The URL of an uploaded image's copy; an image not uploaded here keeps its own URL. */
export function variantUrl(url: string, variant: Variant): string {
  const match = /^(.*\/media\/[A-Za-z0-9_-]+)\.(png|jpg|gif|webp)$/.exec(url);
  return match === null ? url : `${match[1]}.${variant}`;
}
