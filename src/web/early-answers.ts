// Cached federation documents for anyone, answered from Node's request before Hono builds a
// Request and runs its router and middleware: most of what such an answer used to cost. Only the
// plainest requests are answered here (GET, a JSON Accept, no signature, Authorization or cookie,
// a request target already in canonical form); everything else, and every miss, goes on to Hono,
// whose early middleware (federation-cache.ts) answers the same cache entry in the same way.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ANYONE, cacheKey, JSON_ACCEPT, varyOf } from "./federation-cache.ts";
import { requestKind, type Metrics } from "./metrics.ts";
import { reply, type ReadCache } from "./read-cache.ts";
import { federationReadRoute } from "./read-routes.ts";

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
    const accept = headers.accept;
    const target = request.url ?? "";
    if (request.method !== "GET" || accept === undefined || !JSON_ACCEPT.test(accept)) return false;
    // A signature, an Authorization or a cookie may change who sees what: Hono decides those.
    if (headers.signature !== undefined || headers.authorization !== undefined || headers.cookie !== undefined) return false;
    if (!PLAIN_TARGET.test(target) || NOT_PLAIN.test(target) || !PLAIN_HOST.test(headers.host ?? "")) return false;
    const query = target.indexOf("?");
    const path = query === -1 ? target : target.slice(0, query);
    const route = federationReadRoute(path);
    if (route === undefined) return false;
    const stamp = this.#cache.stamp(route.scopes);
    // The URL every request has once on ORIGIN (canonical-origin.ts), whatever Host it came with.
    const hit = stamp === null ? undefined : this.#cache.get(cacheKey(ANYONE, accept, this.#origin + target), stamp);
    if (hit === undefined) return false;
    const { status, headers: replyHeaders, body } = reply(
      { method: "GET", acceptEncoding: headers["accept-encoding"], ifNoneMatch: headers["if-none-match"] },
      hit,
      route.cacheControl,
      varyOf(route),
    );
    response.writeHead(status, replyHeaders);
    if (body === null) response.end();
    else response.end(body);
    this.served++;
    this.#metrics.record(requestKind(path, accept), status, (performance.now() - started) / 1000);
    return true;
  }
}
