// One canonical origin: every request is handled as if it had reached ORIGIN directly, so that
// nothing downstream (Fedify's collection and paging links, signature checks, the web routes)
// can build a URL from the scheme or host a proxy passed on.
import type { MiddlewareHandler } from "hono";

/** Headers by which proxies tell the public host and scheme: ORIGIN already says both. */
const PROXY_URL_HEADERS = ["forwarded", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-scheme"];

/**
 * The request on ORIGIN: same method, path, query, headers and body, with `Host` set to ORIGIN's
 * host (the host remote servers sign with draft-cavage signatures) and no proxy URL headers.
 */
export function onCanonicalOrigin(request: Request, origin: string): Request {
  // Already there, as when nothing stands between the client and Glose: nothing to rebuild.
  const direct = !PROXY_URL_HEADERS.some((name) => request.headers.has(name));
  if (direct && request.url.startsWith(`${origin}/`)) return request;
  const url = new URL(request.url);
  const canonical = new URL(url.pathname + url.search, origin);
  if (direct && url.origin === canonical.origin) return request;
  const headers = new Headers(request.headers);
  for (const name of PROXY_URL_HEADERS) headers.delete(name);
  headers.set("host", canonical.host);
  return new Request(canonical, {
    method: request.method,
    headers,
    body: request.body,
    signal: request.signal,
    redirect: request.redirect,
    // Node's fetch needs this to pass a streamed body on.
    duplex: "half",
  } as RequestInit);
}

/** Rebuilds the incoming request on ORIGIN before any other middleware or route sees it. */
export function canonicalOrigin(origin: string): MiddlewareHandler {
  return async (c, next) => {
    c.req.raw = onCanonicalOrigin(c.req.raw, origin);
    await next();
  };
}
