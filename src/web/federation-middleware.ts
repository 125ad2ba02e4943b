// Hands a request to Fedify first; what Fedify does not serve (or serves only as JSON when the
// client wants HTML) falls through to Glose's own routes on the same URL.
import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { GloseContext } from "../federation/context.ts";
import { isMalformedRemoteInput } from "../federation/remote-input.ts";
import { normalizeServedJson } from "../federation/served-json.ts";
import type { WebEnv } from "./context.ts";
import { cacheSlot } from "./federation-cache.ts";
import { respond, toCachedAnswer, type ReadCache } from "./read-cache.ts";
import { federationReadRoute } from "./read-routes.ts";

const JSON_LD = /^application\/(activity|ld)\+json/;

export function federationMiddleware(federation: Federation<GloseContext>, contextData: GloseContext, cache: ReadCache): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const route = c.req.method === "GET" ? federationReadRoute(c.req.path) : undefined;
    // Looked up already when the request asked for JSON (see federation-cache.ts).
    const cached = route === undefined ? undefined : (c.get("federationCacheSlot") ?? (await cacheSlot(federation, contextData, cache, c.req.raw, route)));
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

/** Every JSON-LD document Fedify answers with goes through the one normalizing step. */
async function served(response: Response, origin: string): Promise<Response> {
  if (response.body === null || !JSON_LD.test(response.headers.get("content-type") ?? "")) return response;
  const document = normalizeServedJson(await response.json(), origin);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(document), { status: response.status, headers });
}
