/**
 * Custom emoji (`:blobcat:`) shown as small images, in remote HTML that is already sanitized
 * and in plain text such as display names. Pure.
 */
import { escapeHtml } from "./html.ts";

export interface CustomEmoji {
  readonly name: string;
  readonly url: string;
}

/** Mastodon's shortcode: letters, digits and underscores (Misskey adds + and -). */
export const SHORTCODE = /^:[\w+-]{1,64}:$/;

function image(emoji: CustomEmoji): string {
  const name = escapeHtml(emoji.name);
  return `<img class="emoji" src="${escapeHtml(emoji.url)}" alt="${name}" title="${name}" width="20" height="20" loading="lazy">`;
}

function replaceInText(text: string, byName: Map<string, CustomEmoji>): string {
  return text.replace(/:[\w+-]{1,64}:/g, (name) => {
    const emoji = byName.get(name);
    return emoji === undefined ? name : image(emoji);
  });
}

/**
 * Sanitized HTML with its shortcodes replaced, in text only: the sanitizer escapes `<` and `>`
 * inside attribute values, so every `<…>` is a tag and never touched.
 */
export function emojifyHtml(html: string, emojis: readonly CustomEmoji[]): string {
  if (emojis.length === 0) return html;
  const byName = new Map(emojis.filter((emoji) => SHORTCODE.test(emoji.name)).map((emoji) => [emoji.name, emoji]));
  return html
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith("<") ? part : replaceInText(part, byName)))
    .join("");
}

/** Plain text (a display name) as HTML, escaped, with its shortcodes as images. */
export function emojifyText(text: string, emojis: readonly CustomEmoji[]): string {
  return emojifyHtml(escapeHtml(text), emojis);
}
