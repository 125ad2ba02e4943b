/**
 * HTML helpers: escaping, plain text, and the sanitizer policies. Everything kept must also
 * survive Mastodon's strict sanitizer. Pure.
 */
import { Parser } from "htmlparser2";
import sanitizeHtml from "sanitize-html";
import { absoluteHref, WEB } from "./urls.ts";

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Character references decoded the way a browser reads an attribute value. */
export function decodeEntities(text: string): string {
  let decoded = "";
  const parser = new Parser({ ontext: (chunk) => (decoded += chunk) }, { decodeEntities: true });
  parser.end(text.replaceAll("<", "&lt;"));
  return decoded;
}

const TEXT_BREAKS = new Set([
  "p", "br", "li", "ul", "ol", "blockquote", "pre", "div", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
  "tr", "td", "th", "dd", "dt", "section", "article", "header", "footer", "figcaption",
]);
const TEXT_SKIPPED = new Set(["script", "style", "template", "noscript", "title", "head", "svg", "math"]);

/**
 * The visible text of some HTML, for feeds and excerpts: entities decoded, blocks separated by
 * a space, ASCII whitespace collapsed. Non-breaking spaces (U+00A0, U+202F) are kept.
 */
export function htmlToText(html: string): string {
  let text = "";
  let skipped = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (TEXT_SKIPPED.has(name)) skipped++;
        else if (TEXT_BREAKS.has(name)) text += " ";
      },
      ontext(chunk) {
        if (skipped === 0) text += chunk;
      },
      onclosetag(name) {
        if (TEXT_SKIPPED.has(name)) skipped = Math.max(0, skipped - 1);
        else if (TEXT_BREAKS.has(name)) text += " ";
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return text.replace(/[ \t\n\r\f]+/g, " ").replace(/^ | $/g, "");
}

/**
 * What a link with a refused URL becomes: its text, in a span. (Turning it into a disallowed tag
 * instead makes sanitize-html close the wrong element later: `<a href="javascript:…">x</a> <b>y</b>`
 * came out as `x <b>y</glose-unlink>`, leaving `<b>` open over the rest of the page.)
 */
const UNLINK = "span";

/** Links: absolute with an allowed scheme or unwrapped; `rel` forced, keeping `tag` (hashtags). */
export function linkTransform(protocols: readonly string[], rel: string): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const href = absoluteHref(attribs.href ?? "", protocols);
    if (href === null) return { tagName: UNLINK, attribs: {} };
    const isTag = /(?:^|\s)tag(?:\s|$)/i.test(attribs.rel ?? "");
    return { tagName, attribs: { ...attribs, href, rel: isTag ? `tag ${rel}` : rel } };
  };
}

/** sanitize-html writes `<br />`; only tags are unescaped in its output, so this is safe. */
export function tidy(html: string): string {
  return html.replaceAll("<br />", "<br>").trim();
}

/** Elements whose content is code, styling or fallback: dropped with the element. */
const NON_TEXT_TAGS = [
  "script", "style", "textarea", "option", "select", "xmp", "noscript", "noembed", "noframes",
  "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "template", "title", "head",
];

/** Mastodon's strict subset, minus ruby; also what the blog page shows. */
const SHARED_TAGS = ["p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em", "ul", "ol", "li"];

export const BASE_POLICY = {
  allowedTags: SHARED_TAGS,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href", "src", "cite", "action", "srcset"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  nonTextTags: NON_TEXT_TAGS,
  allowedStyles: {},
} satisfies sanitizeHtml.IOptions;

/** Microformats and Mastodon's own classes (mentions, hashtags, shortened link text). */
const REMOTE_CLASSES = ["h-*", "p-*", "u-*", "dt-*", "e-*", "mention", "hashtag", "ellipsis", "invisible"];
const TRANSLATE = { name: "translate", values: ["yes", "no"] };

const REMOTE_POLICY: sanitizeHtml.IOptions = {
  ...BASE_POLICY,
  allowedAttributes: { a: ["href", "rel", TRANSLATE], span: [TRANSLATE], ol: ["start", "reversed"], li: ["value"] },
  allowedClasses: { a: REMOTE_CLASSES, span: REMOTE_CLASSES, p: REMOTE_CLASSES },
  allowedSchemes: ["http", "https"],
  transformTags: {
    a: linkTransform(WEB, "nofollow noopener noreferrer ugc"),
    // Mastodon makes headings `<p><strong>`; a paragraph at least keeps them apart.
    ...Object.fromEntries(["h1", "h2", "h3", "h4", "h5", "h6"].map((heading) => [heading, "p"])),
  },
};

/**
 * HTML from another server (a reply's `content`) reduced to Mastodon's safe subset: no
 * scripts, styles, embeds, media or event handlers; links absolute http(s), `rel` forced.
 */
export function sanitizeRemoteHtml(html: string): string {
  return tidy(sanitizeHtml(stripControls(html), REMOTE_POLICY));
}

/** Removes NUL and other C0 controls but tab and newlines: PostgreSQL text cannot hold NUL. */
export function stripControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** Plain text (a bio) as HTML paragraphs, line breaks kept. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replaceAll("\n", "<br>")}</p>`)
    .join("");
}
