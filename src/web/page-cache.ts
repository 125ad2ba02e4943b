// Public pages and feeds served from the read cache: a visitor's repeated request, or one whose
// If-None-Match names the current version, is answered before anything is rendered, before even
// Fedify looks at it. Requests with a cookie (the owner's: private posts, admin links) are
// rendered each time and never kept; JSON goes on to Fedify and its own cache.
import type { MiddlewareHandler } from "hono";
import { respond, toCachedAnswer, type ReadCache } from "./read-cache.ts";
import { isPersonal, JSON_ACCEPT, pageReadRoute, PRIVATE_CACHE_CONTROL } from "./read-routes.ts";

export const PAGE_VARY = "Accept, Accept-Language, Cookie";

/** A page's answer depends on its URL and on these two headers: its language, and page or document. */
export function pageCacheKey(acceptLanguage: string | null | undefined, accept: string, url: string): string {
  return `${acceptLanguage ?? ""} ${accept} ${url}`;
}

export function pageCache(cache: ReadCache): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    const accept = request.headers.get("accept") ?? "";
    const route = c.req.method === "GET" && !JSON_ACCEPT.test(accept) ? pageReadRoute(c.req.path) : undefined;
    if (route === undefined) return await next();
    const personal = isPersonal(request);
    const cacheControl = personal ? PRIVATE_CACHE_CONTROL : route.cacheControl;
    const key = pageCacheKey(request.headers.get("accept-language"), accept, request.url);
    const stamp = personal ? null : cache.stamp(route.scopes);
    const hit = stamp === null ? undefined : cache.get(key, stamp);
    if (hit !== undefined) return respond(request, hit, cacheControl, PAGE_VARY);
    const flight = stamp === null ? undefined : cache.join(key, stamp);
    if (flight?.leader === false) {
      const answer = await flight.answer;
      if (answer !== undefined) return respond(request, answer, cacheControl, PAGE_VARY);
    }
    try {
      await next();
      if (c.res.status !== 200 || c.res.headers.has("set-cookie")) return;
      const answer = await toCachedAnswer(c.res);
      if (stamp !== null) cache.set(key, stamp, answer);
      if (flight?.leader) flight.finish(answer);
      cache.counts.rendered++;
      // Set afresh: assigning over a response would carry its headers (Vary) into the new one.
      c.res = undefined;
      c.res = respond(request, answer, cacheControl, PAGE_VARY);
    } finally {
      if (flight?.leader) flight.finish(undefined);
    }
  };
}
