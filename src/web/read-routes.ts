// Which answers the read cache keeps, what each depends on, and how long others may keep them.
import type { Scope } from "./read-cache.ts";

export interface ReadRoute {
  /** What the answer is built from: a change to any of them makes a new answer. */
  readonly scopes: readonly Scope[];
  /** Whether the answer depends on who asks (which posts they may see). */
  readonly perViewer: boolean;
  /** `Cache-Control` for an answer that is the same for anyone. */
  readonly cacheControl: string;
}

/** An Accept naming JSON asks for a federation document (Fedify's), any other for a page. */
export const JSON_ACCEPT = /json/i;

/** Answers that depend on who asks, or asked with a signature or a cookie, are not for shared caches. */
export const PRIVATE_CACHE_CONTROL = "private, no-cache";

/** What federation documents listing posts are built from (a link's health is shown on pages only). */
const CONTENT: readonly Scope[] = ["posts", "profile", "followers", "interactions"];

const PROFILE: ReadRoute = { scopes: ["profile"], perViewer: false, cacheControl: "public, max-age=300" };
const FEDERATION_ROUTES: readonly (readonly [RegExp, ReadRoute])[] = [
  [/^\/\.well-known\/(webfinger|nodeinfo)$/, PROFILE],
  [/^\/nodeinfo\/2\.1$/, { scopes: ["posts", "profile"], perViewer: false, cacheControl: "public, max-age=1800" }],
  [/^\/users\/[^/]+$/, PROFILE],
  [/^\/users\/[^/]+\/following$/, PROFILE],
  [/^\/users\/[^/]+\/followers$/, { scopes: ["followers", "profile"], perViewer: false, cacheControl: "public, max-age=60" }],
  // The outbox, featured, each post's Note, Create and collections: what a viewer may see.
  [/^\/users\/[^/]+\/(outbox|featured)$/, { scopes: CONTENT, perViewer: true, cacheControl: "public, max-age=60" }],
  [/^\/p\/[^/]+(\/[a-z]+)?$/, { scopes: CONTENT, perViewer: true, cacheControl: "public, max-age=60" }],
];

/** The federation document at `path` that may be cached, if any. */
export function federationReadRoute(path: string): ReadRoute | undefined {
  return FEDERATION_ROUTES.find(([pattern]) => pattern.test(path))?.[1];
}

// Pages show posts, the profile, replies and counts; the owner's pages are never cached.
const PAGE: ReadRoute = { scopes: ["posts", "profile", "interactions", "links"], perViewer: true, cacheControl: "public, no-cache" };
const FEED: ReadRoute = { ...PAGE, cacheControl: "public, max-age=300" };
const PAGE_ROUTES: readonly (readonly [RegExp, ReadRoute])[] = [
  [/^\/$/, PAGE],
  [/^\/p\/[^/]+$/, PAGE],
  [/^\/tags(\/[^/]+)?$/, PAGE],
  [/^(\/tags\/[^/]+)?\/feed\.(atom|rss)$/, FEED],
];

/** The public page at `path` that may be cached, if any. */
export function pageReadRoute(path: string): ReadRoute | undefined {
  return PAGE_ROUTES.find(([pattern]) => pattern.test(path))?.[1];
}

/** Whether the request carries a signature or a cookie: its answer may be meant for it alone. */
export function isPersonal(request: Request): boolean {
  const headers = request.headers;
  return headers.has("signature") || headers.has("authorization") || headers.has("cookie");
}
