/**
 * Pure content helpers: URL and tag normalizing, Markdown → sanitized HTML, remote HTML
 * sanitizing, and the HTML `content` of a post's Note. No I/O; the pieces live in content/.
 */
import { escapeHtml } from "./html.ts";
import { hashtagHtml } from "./mentions.ts";
import { hashtagName } from "./tags.ts";
import { frenchHtml, frenchText, isFrench } from "./typography.ts";
import { absoluteHref, WEB } from "./urls.ts";

export { escapeHtml, htmlToText, sanitizeRemoteHtml, stripControls, textToHtml } from "./html.ts";
export { emojifyHtml, emojifyText, SHORTCODE, type CustomEmoji } from "./emoji.ts";
export { commentReferences, renderMarkdown, rewriteHashtags, type RenderContext } from "./markdown.ts";
export { handleKey, type ResolvedMention } from "./mentions.ts";
export { collator, hashtagName, normalizeTags, tagKey, tagPageUrl } from "./tags.ts";
export { frenchHtml, frenchText, isFrench } from "./typography.ts";
export { normalizeUrl } from "./urls.ts";

export type NoteContentPost = {
  url: string | null;
  title: string;
  commentHtml: string;
  tags: readonly string[];
  /** French posts are sent in French typography: Mastodon shows the content as sent. */
  language?: string;
};

/**
 * The `content` of a post's Note: the shared link first (Mastodon builds its card from the
 * first anchor that is not a mention or hashtag), then the commentary (already sanitized
 * HTML), then the hashtags that the commentary does not show already, linked to `tagHref(tag)`,
 * which must be absolute for Mastodon.
 */
export function noteContent(post: NoteContentPost, tagHref: (tag: string) => string): string {
  const parts: string[] = [];
  const url = post.url !== null && absoluteHref(post.url, WEB) !== null ? post.url : null;
  const french = isFrench(post.language);
  const title = french ? frenchText(post.title.trim()) : post.title.trim();
  if (url !== null) parts.push(`<p><a href="${escapeHtml(url)}">${escapeHtml(title || url)}</a></p>`);
  else if (title !== "") parts.push(`<p><strong>${escapeHtml(title)}</strong></p>`);
  parts.push(french ? frenchHtml(post.commentHtml.trim()) : post.commentHtml.trim());
  const names = new Set<string>();
  const hashtags: string[] = [];
  for (const tag of post.tags) {
    const name = hashtagName(tag);
    if (name === null || names.has(name.toLowerCase())) continue;
    names.add(name.toLowerCase());
    const href = tagHref(tag);
    if (post.commentHtml.includes(`href="${escapeHtml(href)}" class="mention hashtag"`)) continue;
    hashtags.push(hashtagHtml(name, href));
  }
  if (hashtags.length > 0) parts.push(`<p>${hashtags.join(" ")}</p>`);
  return parts.join("");
}
