/**
 * Atom 1.0 (RFC 4287) and RSS 2.0 documents of a list of posts. Pure: the caller gathers the
 * posts and builds every URL and the content HTML; this module only writes well-formed XML.
 * Every piece of text goes through `xmlText` or `xmlAttribute`, so no title, tag or URL can
 * close an element early or make the document unreadable.
 */
import { VERSION } from "../version.ts";

export interface FeedEntry {
  /** The entry's permanent id: its absolute permalink. */
  readonly id: string;
  /** The permalink page, absolute. */
  readonly url: string;
  /** The shared URL, if the post shares one. */
  readonly link: string | null;
  readonly title: string;
  /** The full content as HTML: the link, the commentary, the tags. */
  readonly html: string;
  readonly tags: readonly string[];
  readonly published: Date;
  /** Null when the post was never edited. */
  readonly updated: Date | null;
  readonly language: string;
}

export interface FeedInput {
  readonly title: string;
  readonly subtitle?: string;
  /** The HTML page the feed mirrors. */
  readonly siteUrl: string;
  /** The feed itself (`rel="self"`). */
  readonly feedUrl: string;
  /** The same feed in the other format. */
  readonly alternateFeedUrl?: string;
  readonly language: string;
  readonly author: { readonly name: string; readonly url: string };
  readonly icon?: string | null;
  /** The categories' scheme: the prefix of the tags' pages, such as `https://blog.example/tags/`. */
  readonly tagScheme?: string;
  readonly updated: Date;
  /** Newest first. */
  readonly entries: readonly FeedEntry[];
}

export const ATOM_NS = "http://www.w3.org/2005/Atom";

// XML 1.0's Char production: tab, newline, CR, and U+0020 up, minus surrogates, U+FFFE and U+FFFF.
// With the `u` flag a lone surrogate is one code point outside every allowed range.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

// CR is written as a reference: a parser turns a literal CR into a newline. In attribute values
// tab and newline too, which a parser would turn into spaces.
const TEXT_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" };
const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { ...TEXT_ESCAPES, "\t": "&#9;", "\n": "&#10;" };

/** Text without the characters XML 1.0 cannot hold (C0 controls but tab and newlines, U+FFFE, U+FFFF, lone surrogates). */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, "");
}

/** Text fit for element content, reading back exactly as given (once `xmlChars` is applied). */
export function xmlText(text: string): string {
  return xmlChars(text).replace(/[&<>"'\r]/g, (char) => TEXT_ESCAPES[char] ?? char);
}

/** Text fit for a double- or single-quoted attribute value, reading back exactly as given. */
export function xmlAttribute(text: string): string {
  return xmlChars(text).replace(/[&<>"'\r\t\n]/g, (char) => ATTRIBUTE_ESCAPES[char] ?? char);
}

type Attributes = Readonly<Record<string, string | null | undefined>>;

/** `<name attributes>text</name>`, or `<name attributes/>` without text; null and undefined attributes are left out. */
function element(name: string, attributes: Attributes, text?: string): string {
  let open = name;
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) open += ` ${key}="${xmlAttribute(value)}"`;
  }
  return text === undefined ? `<${open}/>` : `<${open}>${xmlText(text)}</${name}>`;
}

/** RFC 3339, in UTC. */
function rfc3339(date: Date): string {
  return date.toISOString();
}

/** RFC 822 as RSS 2.0 wants it (four-digit year): `Sun, 01 Mar 2026 08:00:00 GMT`. */
function rfc822(date: Date): string {
  return date.toUTCString();
}

const XML_DECLARATION = `<?xml version="1.0" encoding="utf-8"?>\n`;

export function renderAtom(feed: FeedInput): string {
  const lines = [
    `${XML_DECLARATION}<feed xmlns="${ATOM_NS}" xml:lang="${xmlAttribute(feed.language)}">`,
    element("id", {}, feed.feedUrl),
    element("title", { type: "text" }, feed.title),
    feed.subtitle ? element("subtitle", { type: "text" }, feed.subtitle) : "",
    element("updated", {}, rfc3339(feed.updated)),
    `<author>${element("name", {}, feed.author.name)}${element("uri", {}, feed.author.url)}</author>`,
    element("link", { rel: "self", type: "application/atom+xml", href: feed.feedUrl }),
    element("link", { rel: "alternate", type: "text/html", href: feed.siteUrl }),
    feed.alternateFeedUrl ? element("link", { rel: "alternate", type: "application/rss+xml", href: feed.alternateFeedUrl }) : "",
    element("generator", { version: VERSION }, "Glose"),
    feed.icon ? element("icon", {}, feed.icon) : "",
    ...feed.entries.map((entry) => atomEntry(feed, entry)),
    "</feed>",
  ];
  return `${lines.filter((line) => line !== "").join("\n")}\n`;
}

function atomEntry(feed: FeedInput, entry: FeedEntry): string {
  const lang = entry.language !== "" && entry.language !== feed.language ? entry.language : null;
  return [
    `<entry${lang === null ? "" : ` xml:lang="${xmlAttribute(lang)}"`}>`,
    element("id", {}, entry.id),
    element("title", { type: "text" }, entry.title),
    element("link", { rel: "alternate", type: "text/html", href: entry.url }),
    entry.link === null ? "" : element("link", { rel: "related", href: entry.link }),
    element("published", {}, rfc3339(entry.published)),
    element("updated", {}, rfc3339(entry.updated ?? entry.published)),
    ...entry.tags.map((tag) => element("category", { term: tag, label: tag, scheme: feed.tagScheme })),
    element("content", { type: "html" }, entry.html),
    "</entry>",
  ]
    .filter((line) => line !== "")
    .join("");
}

export function renderRss(feed: FeedInput): string {
  const lines = [
    `${XML_DECLARATION}<rss version="2.0" xmlns:atom="${ATOM_NS}">`,
    "<channel>",
    element("title", {}, feed.title),
    element("link", {}, feed.siteUrl),
    // Required, and readers show it: the blog's title stands in for an empty summary.
    element("description", {}, feed.subtitle || feed.title),
    element("language", {}, feed.language),
    element("lastBuildDate", {}, rfc822(feed.updated)),
    element("atom:link", { rel: "self", type: "application/rss+xml", href: feed.feedUrl }),
    feed.alternateFeedUrl ? element("atom:link", { rel: "alternate", type: "application/atom+xml", href: feed.alternateFeedUrl }) : "",
    element("generator", {}, `Glose ${VERSION}`),
    element("docs", {}, "https://www.rssboard.org/rss-specification"),
    feed.icon ? `<image>${element("url", {}, feed.icon)}${element("title", {}, feed.title)}${element("link", {}, feed.siteUrl)}</image>` : "",
    ...feed.entries.map((entry) => rssItem(feed, entry)),
    "</channel>",
    "</rss>",
  ];
  return `${lines.filter((line) => line !== "").join("\n")}\n`;
}

function rssItem(feed: FeedInput, entry: FeedEntry): string {
  return [
    "<item>",
    element("title", {}, entry.title),
    // As Shaarli does: the item opens the shared page; the permalink is the guid and comments.
    element("link", {}, entry.link ?? entry.url),
    element("description", {}, entry.html),
    element("guid", { isPermaLink: "true" }, entry.id),
    element("comments", {}, entry.url),
    ...entry.tags.map((tag) => element("category", { domain: feed.tagScheme }, tag)),
    element("pubDate", {}, rfc822(entry.published)),
    "</item>",
  ].join("");
}
