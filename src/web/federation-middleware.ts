// Hands a request to Fedify first; what Fedify does not serve (or serves only as JSON when the
// client wants HTML) falls through to Glose's own routes on the same URL.
import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { GloseContext } from "../federation/context.ts";
import { isMalformedRemoteInput } from "../federation/remote-input.ts";
import { normalizeServedJson } from "../federation/served-json.ts";
import { federationViewer } from "../federation/visibility.ts";
import { respond, toCachedAnswer, type CachedAnswer, type ReadCache } from "./read-cache.ts";
import { federationReadRoute, isPersonal, PRIVATE_CACHE_CONTROL, type ReadRoute } from "./read-routes.ts";

const JSON_LD = /^application\/(activity|ld)\+json/;

export function federationMiddleware(federation: Federation<GloseContext>, contextData: GloseContext, cache: ReadCache): MiddlewareHandler {
  return async (c, next) => {
    const route = c.req.method === "GET" ? federationReadRoute(c.req.path) : undefined;
    const cached = route === undefined ? undefined : await cacheSlot(federation, contextData, cache, c.req.raw, route);
    if (cached?.hit !== undefined) return respond(c.req.raw, cached.hit, cached.cacheControl, cached.vary);
    const flight = cached?.key != null && cached.stamp !== null ? cache.join(cached.key, cached.stamp) : undefined;
    if (cached !== undefined && flight?.leader === false) {
      const answer = await flight.answer;
      if (answer !== undefined) return respond(c.req.raw, answer, cached.cacheControl, cached.vary);
    }
    try {
      return await render();
    } finally {
      if (flight?.leader) flight.finish(undefined);
    }

    async function render(): Promise<Response> {
      let fellThrough = false;
      const fallThrough = async () => {
        fellThrough = true;
        await next();
        return c.res;
      };
      let response: Response;
      try {
        response = await federation.fetch(c.req.raw, {
          contextData,
          onNotFound: fallThrough,
          // A post the requester may not see answers as one that does not exist: 404 from the web
          // routes, as Mastodon answers, so that a stranger cannot tell the two apart.
          onUnauthorized: fallThrough,
          onNotAcceptable: async () => {
            fellThrough = true;
            await next();
            if (c.res.status !== 404) return c.res;
            return new Response("Not acceptable", { status: 406, headers: { "Content-Type": "text/plain", Vary: "Accept" } });
          },
        });
      } catch (error) {
        // Fedify answers 400 to the bad input it recognizes and throws the rest, such as an
        // @context that cannot be loaded or a key whose PEM is broken: the sender's fault, not ours.
        if (c.req.method === "POST" && isMalformedRemoteInput(error)) {
          return new Response("Invalid activity.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
        }
        throw error;
      }
      if (fellThrough) return response;
      const document = await served(response, contextData.config.origin);
      if (cached === undefined || document.status !== 200 || !JSON_LD_OR_JRD.test(document.headers.get("content-type") ?? "")) return document;
      const answer = await toCachedAnswer(document);
      if (cached.key !== null && cached.stamp !== null) cache.set(cached.key, cached.stamp, answer);
      if (flight?.leader) flight.finish(answer);
      cache.counts.rendered++;
      return respond(c.req.raw, answer, cached.cacheControl, cached.vary);
    }
  };
}

const JSON_LD_OR_JRD = /^application\/(activity\+json|ld\+json|jrd\+json|json)/;

interface CacheSlot {
  /** Where the answer is kept for this kind of viewer; null: it is not kept (the owner's). */
  readonly key: string | null;
  readonly stamp: string | null;
  readonly hit: CachedAnswer | undefined;
  readonly cacheControl: string;
  readonly vary: string;
}

/**
 * Where this request's answer is cached: per path, Accept header (the same one negotiates the
 * same way) and, for documents that depend on who asks, per kind of viewer: anyone, a followed
 * server, another server (which may also see the followers-only posts that mention its
 * accounts). The owner's answers are never cached.
 */
async function cacheSlot(
  federation: Federation<GloseContext>,
  contextData: GloseContext,
  cache: ReadCache,
  request: Request,
  route: ReadRoute,
): Promise<CacheSlot> {
  const personal = isPersonal(request);
  const vary = route.perViewer ? "Accept, Authorization, Signature, Cookie" : "Accept";
  const cacheControl = personal ? PRIVATE_CACHE_CONTROL : route.cacheControl;
  const viewer = route.perViewer && personal ? await federationViewer(federation.createContext(request, contextData)) : undefined;
  let viewerKey = "anyone";
  if (viewer?.kind === "server") viewerKey = viewer.followed ? "followers" : `server ${viewer.origin}`;
  const key = viewer?.kind === "owner" ? null : `${viewerKey} ${request.headers.get("accept") ?? ""} ${request.url}`;
  const stamp = cache.stamp(route.scopes);
  const hit = key === null || stamp === null ? undefined : cache.get(key, stamp);
  return { key, stamp, hit, cacheControl, vary };
}

/** Every JSON-LD document Fedify answers with goes through the one normalizing step. */
async function served(response: Response, origin: string): Promise<Response> {
  if (response.body === null || !JSON_LD.test(response.headers.get("content-type") ?? "")) return response;
  const document = normalizeServedJson(await response.json(), origin);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(document), { status: response.status, headers });
}
