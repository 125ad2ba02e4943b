// Cached answers for anyone, given from Node's request before Hono builds a Request and runs its
// router and middleware: most of what such an answer used to cost. Federation documents and
// public pages and feeds are answered here only for the plainest requests (GET, no signature,
// Authorization or cookie, a request target already in canonical form); everything else, and
// every miss, goes on to Hono, whose middleware (federation-cache.ts, page-cache.ts) answers the
// same cache entry in the same way.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ANYONE, cacheKey, varyOf } from "./federation-cache.ts";
import { requestKind, type Metrics } from "./metrics.ts";
import { pageCacheKey, PAGE_VARY } from "./page-cache.ts";
import { reply, type CachedAnswer, type ReadCache } from "./read-cache.ts";
import { federationReadRoute, JSON_ACCEPT, pageReadRoute, type ReadRoute } from "./read-routes.ts";
import { HTML_SECURITY_HEADERS, isHtml } from "./security.ts";

/**
 * A path with nothing to decode or normalize (no percent sign, quote, dot segment or double
 * slash) and a query without an empty `?`: Hono and the URL parser see them exactly as they
 * came. Percent signs in the query stay as they are in both.
 */
const PLAIN_TARGET = /^\/[A-Za-z0-9\-._~!$&()*+,;=:@/]*(\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$/;
const NOT_PLAIN = /\/\.\.?(\/|\?|$)|\/\/|\?$/;
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

export class EarlyAnswers {
  /** Answers given here, before Hono. */
  served = 0;
  readonly #origin: string;
  readonly #cache: ReadCache;
  readonly #metrics: Metrics;

  constructor(origin: string, cache: ReadCache, metrics: Metrics) {
    this.#origin = origin;
    this.#cache = cache;
    this.#metrics = metrics;
  }

  /** Answers `request` from the cache and returns true, or returns false and writes nothing. */
  answer(request: IncomingMessage, response: ServerResponse): boolean {
    const started = performance.now();
    const headers = request.headers;
    const target = request.url ?? "";
    if (request.method !== "GET") return false;
    // A signature, an Authorization or a cookie may change who sees what: Hono decides those.
    if (headers.signature !== undefined || headers.authorization !== undefined || headers.cookie !== undefined) return false;
    if (!PLAIN_TARGET.test(target) || NOT_PLAIN.test(target) || !PLAIN_HOST.test(headers.host ?? "")) return false;
    const query = target.indexOf("?");
    const path = query === -1 ? target : target.slice(0, query);
    const accept = headers.accept;
    const found = accept !== undefined && JSON_ACCEPT.test(accept) ? this.#document(path, accept, target) : this.#page(path, accept ?? "", headers["accept-language"], target);
    if (found === undefined) return false;
    const { hit, route, vary } = found;
    const { status, headers: replyHeaders, body } = reply(
      { method: "GET", acceptEncoding: headers["accept-encoding"], ifNoneMatch: headers["if-none-match"] },
      hit,
      route.cacheControl,
      vary,
    );
    // Hono's path adds these to every answer that is HTML (security.ts), as here.
    const sent = isHtml(replyHeaders["content-type"]) ? { ...replyHeaders, ...HTML_SECURITY_HEADERS } : replyHeaders;
    response.writeHead(status, sent);
    if (body === null) response.end();
    else response.end(body);
    this.served++;
    this.#metrics.record(requestKind(path, accept ?? ""), status, (performance.now() - started) / 1000);
    return true;
  }

  /** A federation document, kept for anyone at the URL every request has once on ORIGIN. */
  #document(path: string, accept: string, target: string): Found | undefined {
    const route = federationReadRoute(path);
    if (route === undefined) return undefined;
    const hit = this.#cached(route, cacheKey(ANYONE, accept, this.#origin + target));
    return hit === undefined ? undefined : { hit, route, vary: varyOf(route) };
  }

  /** A public page or feed, kept per language and Accept. */
  #page(path: string, accept: string, acceptLanguage: string | undefined, target: string): Found | undefined {
    const route = pageReadRoute(path);
    if (route === undefined) return undefined;
    const hit = this.#cached(route, pageCacheKey(acceptLanguage, accept, this.#origin + target));
    return hit === undefined ? undefined : { hit, route, vary: PAGE_VARY };
  }

  #cached(route: ReadRoute, key: string): CachedAnswer | undefined {
    const stamp = this.#cache.stamp(route.scopes);
    return stamp === null ? undefined : this.#cache.get(key, stamp);
  }
}

interface Found {
  readonly hit: CachedAnswer;
  readonly route: ReadRoute;
  readonly vary: string;
}
