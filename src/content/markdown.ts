/** The owner's Markdown commentary → HTML for the blog page and for Mastodon. Pure. */
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { BASE_POLICY, decodeEntities, escapeHtml, linkTransform, tidy } from "./html.ts";
import { absoluteHref, WEB, WEB_AND_MAIL } from "./urls.ts";

/** Only our renderer makes tags (typed HTML is text), but sanitize anyway: defence in depth. */
const MARKDOWN_POLICY: sanitizeHtml.IOptions = {
  ...BASE_POLICY,
  allowedAttributes: { a: ["href", "rel"], ol: ["start"] },
  allowedClasses: {},
  allowedSchemes: ["http", "https", "mailto"],
  transformTags: { a: linkTransform(WEB_AND_MAIL, "nofollow noopener noreferrer") },
};

/**
 * CommonMark + GFM (autolinks, strikethrough, task lists), single newlines kept as `<br>` like
 * Shaarli's Markdown formatter. Typed HTML is not parsed: it stays text and gets escaped.
 * Tables are not parsed either (Mastodon drops them): the pipes stay as typed.
 */
const markdown = new Marked({ gfm: true, breaks: true });
markdown.use({
  tokenizer: {
    html: () => undefined,
    tag: () => undefined,
    table: () => undefined,
  },
  renderer: {
    heading({ tokens }) {
      return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>\n`;
    },
    link({ href, tokens }) {
      const text = this.parser.parseInline(tokens);
      const safe = absoluteHref(decodeEntities(href), WEB_AND_MAIL);
      return safe === null ? text : `<a href="${escapeHtml(safe)}">${text}</a>`;
    },
    image({ href, tokens }) {
      const safe = absoluteHref(decodeEntities(href), WEB);
      const alt = decodeEntities(this.parser.parseInline(tokens, this.parser.textRenderer));
      const label = escapeHtml(alt || (safe ?? ""));
      return safe === null ? label : `<a href="${escapeHtml(safe)}">${label}</a>`;
    },
    checkbox({ checked }) {
      return checked ? "☑ " : "☐ ";
    },
  },
});

/** The owner's Markdown commentary as HTML fit for the blog page and for Mastodon. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false });
  // Only tags are left unescaped in the sanitized output, so `>\n<` lies between two tags.
  return tidy(sanitizeHtml(html, MARKDOWN_POLICY).replace(/>\n+</g, "><"));
}
