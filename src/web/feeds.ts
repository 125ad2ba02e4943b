// The blog's Atom and RSS feeds: the whole blog, each tag, and any list of posts (search).
// The same for whoever asks, the owner included (they are cached publicly): what the visibility
// rule lists in feeds for anyone, which is public posts only.
import { etagOf, matchesEtag } from "./read-cache.ts";
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { Visibility } from "../../db/schema.ts";
import { escapeHtml, frenchHtml, frenchText, htmlToText, isFrench } from "../content/index.ts";
import { getAccount, type AccountRow } from "../data/account.ts";
import { listPosts, type PostRow } from "../data/posts.ts";
import { tagSpellings } from "../data/tags.ts";
import { ANONYMOUS, listedVisibilities } from "../services/visibility.ts";
import { renderAtom, renderRss, type FeedEntry, type FeedInput } from "./feed-writer.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import type { Html } from "./views/layout.ts";

export type FeedFormat = "atom" | "rss";

/** Feeds only read the database; the rest of WebDeps is not needed. */
export type FeedDeps = Pick<WebDeps, "config" | "db">;

/** How many posts a feed carries, newest first. */
export const FEED_SIZE = 50;
export const FEED_VISIBILITIES: readonly Visibility[] = listedVisibilities(ANONYMOUS, "feed");

const CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  atom: "application/atom+xml; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
};

/** A feed's address in each format, as absolute paths (a query string may follow the extension). */
export interface FeedPaths {
  readonly atom: string;
  readonly rss: string;
}

/** `feedPaths("/tags/x/feed")` → `/tags/x/feed.atom`, `/tags/x/feed.rss`; `search` is a query string such as `?q=x`. */
export function feedPaths(base: string, search = ""): FeedPaths {
  return { atom: `${base}.atom${search}`, rss: `${base}.rss${search}` };
}

/** What a feed is made of; `feedFor` turns it into a `FeedInput`, `sendFeed` into a response. */
export interface FeedSource {
  /** What the feed is of ("#tag", "Search: x"), put before the blog's name; null for the whole blog. */
  readonly title: string | null;
  /** The HTML page the feed mirrors, as an absolute path ("/tags/x", "/search?q=x"). */
  readonly pagePath: string;
  readonly paths: FeedPaths;
  /** Newest first. Anything that feeds do not list is dropped here, whatever the caller queried. */
  readonly posts: readonly PostRow[];
}

export function feedRoutes(deps: FeedDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  for (const format of ["atom", "rss"] as const) {
    routes.get(`/feed.${format}`, async (c) => {
      const posts = await listPosts(deps.db, { visibilities: FEED_VISIBILITIES, limit: FEED_SIZE });
      return await sendFeed(c, deps, format, { title: null, pagePath: "/", paths: feedPaths("/feed"), posts });
    });

    routes.get(`/tags/:tag/feed.${format}`, async (c) => {
      // Any spelling of the tag (IA, ia), under the spelling most of its posts use.
      const asked = c.req.param("tag").replace(/^#+/u, "").normalize("NFC");
      if (asked === "") return c.notFound();
      const spellings = await tagSpellings(deps.db, asked);
      const tag = spellings[0] ?? asked;
      const posts = await listPosts(deps.db, { visibilities: FEED_VISIBILITIES, anyTag: spellings, limit: FEED_SIZE });
      const path = `/tags/${encodeURIComponent(tag)}`;
      // A tag without posts yet still has a feed: a reader may subscribe before the first one.
      return await sendFeed(c, deps, format, { title: `#${tag}`, pagePath: path, paths: feedPaths(`${path}/feed`), posts });
    });
  }

  return routes;
}

/**
 * The feed document's content for `source` in `format`, or null when the blog has no account
 * yet. URLs are made absolute on `deps.config.origin`.
 */
export async function feedFor(deps: FeedDeps, format: FeedFormat, source: FeedSource): Promise<FeedInput | null> {
  const account = await getAccount(deps.db);
  if (account === undefined) return null;
  return feedInput(account, deps.config.origin, format, source);
}

/**
 * The response for a feed: the document with its type and caching headers, or 304 when the
 * reader's `If-None-Match` names the current version, or 404 without an account. For routes
 * outside this module, such as the search feed.
 */
export async function sendFeed(c: Context<WebEnv>, deps: FeedDeps, format: FeedFormat, source: FeedSource): Promise<Response> {
  const feed = await feedFor(deps, format, source);
  if (feed === null) return c.notFound();
  const body = format === "atom" ? renderAtom(feed) : renderRss(feed);
  // The hash of the document itself: any change shows, an edited older post, a deleted one, a
  // renamed blog or a new Glose version alike, and rendering fifty posts again costs little.
  const etag = etagOf(body);
  const headers = { "Cache-Control": "public, max-age=300", ETag: etag, "Last-Modified": feed.updated.toUTCString() };
  // If-Modified-Since alone is not trusted: deleting the newest post moves the date back.
  if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, "Content-Type": CONTENT_TYPES[format] });
}

/** `<link rel="alternate">` to a page's feeds, for browsers and readers to discover them. */
export function feedLinks(paths: FeedPaths, title: string): Html {
  return html`<link rel="alternate" type="application/atom+xml" title="${title} (Atom)" href="${paths.atom}">
<link rel="alternate" type="application/rss+xml" title="${title} (RSS)" href="${paths.rss}">`;
}

function feedInput(account: AccountRow, origin: string, format: FeedFormat, source: FeedSource): FeedInput {
  const name = account.display_name || account.username;
  const posts = source.posts.filter((post) => FEED_VISIBILITIES.includes(post.visibility) && post.deleted_at === null);
  const entries = posts.map((post) => feedEntry(origin, post));
  const newest = entries.reduce<Date | null>((latest, entry) => {
    const updated = entry.updated ?? entry.published;
    return latest === null || updated > latest ? updated : latest;
  }, null);
  const other: FeedFormat = format === "atom" ? "rss" : "atom";
  return {
    title: source.title === null ? name : `${source.title} · ${name}`,
    subtitle: account.summary.trim() || undefined,
    siteUrl: `${origin}${source.pagePath}`,
    feedUrl: `${origin}${source.paths[format]}`,
    alternateFeedUrl: `${origin}${source.paths[other]}`,
    language: account.language,
    author: { name, url: `${origin}/` },
    icon: account.avatar_url,
    tagScheme: `${origin}/tags/`,
    updated: newest ?? account.updated_at,
    entries,
  };
}

function feedEntry(origin: string, post: PostRow): FeedEntry {
  const permalink = `${origin}/p/${post.id}`;
  return {
    id: permalink,
    url: permalink,
    link: post.url,
    title: entryTitle(post),
    html: entryHtml(origin, post),
    tags: post.tags,
    published: post.published_at,
    updated: post.updated_at,
    language: post.language,
  };
}

/** Readers list entries by title: a note without one is named by its first words. */
function entryTitle(post: PostRow): string {
  const title = post.title.trim();
  if (title !== "") return isFrench(post.language) ? frenchText(title) : title;
  const text = htmlToText(post.comment_html);
  if (text === "") return post.url ?? "";
  return text.length > 80 ? `${text.slice(0, 79).trimEnd()}…` : text;
}

/** The shared link, the commentary (sanitized when saved), and the tags, every URL absolute;
 * French posts in French typography, as on the blog. */
function entryHtml(origin: string, post: PostRow): string {
  const parts: string[] = [];
  const french = isFrench(post.language);
  const title = french ? frenchText(post.title.trim()) : post.title.trim();
  if (post.url !== null) parts.push(`<p><a href="${escapeHtml(post.url)}">${escapeHtml(title || post.url)}</a></p>`);
  parts.push(french ? frenchHtml(post.comment_html.trim()) : post.comment_html.trim());
  if (post.tags.length > 0) {
    const links = post.tags.map((tag) => `<a href="${escapeHtml(`${origin}/tags/${encodeURIComponent(tag)}`)}" rel="tag">#${escapeHtml(tag)}</a>`);
    parts.push(`<p>${links.join(" ")}</p>`);
  }
  return parts.filter((part) => part !== "").join("\n");
}
