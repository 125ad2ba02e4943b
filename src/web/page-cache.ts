// Public pages and feeds served from the read cache: a visitor's repeated request, or one whose
// If-None-Match names the current version, is answered before anything is rendered. The owner's
// pages (private posts, admin links) are rendered each time and never kept.
import type { MiddlewareHandler } from "hono";
import type { WebEnv } from "./context.ts";
import { respond, toCachedAnswer, type ReadCache } from "./read-cache.ts";
import { isPersonal, pageReadRoute, PRIVATE_CACHE_CONTROL } from "./read-routes.ts";

export function pageCache(cache: ReadCache): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const route = c.req.method === "GET" ? pageReadRoute(c.req.path) : undefined;
    if (route === undefined) return await next();
    const request = c.req.raw;
    const owner = c.get("owner");
    const cacheControl = owner || isPersonal(request) ? PRIVATE_CACHE_CONTROL : route.cacheControl;
    const vary = "Accept, Accept-Language, Cookie";
    // The language and the JSON-or-HTML choice come from these two headers.
    const url = new URL(request.url);
    const key = `${request.headers.get("accept-language") ?? ""} ${request.headers.get("accept") ?? ""} ${url.pathname}${url.search}`;
    const stamp = owner ? null : cache.stamp(route.scopes);
    const hit = stamp === null ? undefined : cache.get(key, stamp);
    if (hit !== undefined) return respond(request, hit, cacheControl, vary);
    await next();
    if (c.res.status !== 200 || c.res.headers.has("set-cookie")) return;
    const answer = await toCachedAnswer(c.res);
    if (stamp !== null) cache.set(key, stamp, answer);
    cache.counts.rendered++;
    // Set afresh: assigning over a response would carry its headers (Vary) into the new one.
    c.res = undefined;
    c.res = respond(request, answer, cacheControl, vary);
  };
}
