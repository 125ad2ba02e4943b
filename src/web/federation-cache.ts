// Cached federation documents answered as early as possible: right after the canonical origin
// and the metrics, before the guards, the page cache and Fedify, whose work a cached answer does
// not need. Who may see what is decided exactly as for a rendered answer (the same cache slot);
// a miss goes on with its slot, so that a signature is never checked twice.
import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { GloseContext } from "../federation/context.ts";
import { federationViewer } from "../federation/visibility.ts";
import type { WebEnv } from "./context.ts";
import { respond, type CachedAnswer, type ReadCache } from "./read-cache.ts";
import { federationReadRoute, isPersonal, JSON_ACCEPT, PRIVATE_CACHE_CONTROL, type ReadRoute } from "./read-routes.ts";

/** The viewer of a request without a signature, an Authorization or a cookie. */
export const ANYONE = "anyone";

export interface CacheSlot {
  /** Where the answer is kept for this kind of viewer; null: it is not kept (the owner's). */
  readonly key: string | null;
  readonly stamp: string | null;
  readonly hit: CachedAnswer | undefined;
  readonly cacheControl: string;
  readonly vary: string;
}

export function cachedFederationDocuments(federation: Federation<GloseContext>, contextData: GloseContext, cache: ReadCache): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const request = c.req.raw;
    const route = request.method === "GET" && JSON_ACCEPT.test(request.headers.get("accept") ?? "") ? federationReadRoute(c.req.path) : undefined;
    if (route === undefined) return await next();
    const slot = await cacheSlot(federation, contextData, cache, request, route);
    if (slot.hit !== undefined) return respond(request, slot.hit, slot.cacheControl, slot.vary);
    c.set("federationCacheSlot", slot);
    await next();
  };
}

/**
 * Where this request's answer is cached: per path, Accept header (the same one negotiates the
 * same way) and, for documents that depend on who asks, per kind of viewer: anyone, a followed
 * server, another server (which may also see the followers-only posts that mention its
 * accounts). The owner's answers are never cached.
 */
export async function cacheSlot(
  federation: Federation<GloseContext>,
  contextData: GloseContext,
  cache: ReadCache,
  request: Request,
  route: ReadRoute,
): Promise<CacheSlot> {
  const personal = isPersonal(request);
  const vary = varyOf(route);
  const cacheControl = personal ? PRIVATE_CACHE_CONTROL : route.cacheControl;
  const viewer = route.perViewer && personal ? await federationViewer(federation.createContext(request, contextData)) : undefined;
  let viewerKey = ANYONE;
  if (viewer?.kind === "server") viewerKey = viewer.followed ? "followers" : `server ${viewer.origin}`;
  const key = viewer?.kind === "owner" ? null : cacheKey(viewerKey, request.headers.get("accept") ?? "", request.url);
  const stamp = cache.stamp(route.scopes);
  const hit = key === null || stamp === null ? undefined : cache.get(key, stamp);
  return { key, stamp, hit, cacheControl, vary };
}

/** Where the answer to `url`, asked with `accept` by this kind of viewer, is kept. */
export function cacheKey(viewerKey: string, accept: string, url: string): string {
  return `${viewerKey} ${accept} ${url}`;
}

/** The request headers a cached document's answer depends on, compression aside. */
export function varyOf(route: ReadRoute): string {
  return route.perViewer ? "Accept, Authorization, Signature, Cookie" : "Accept";
}
