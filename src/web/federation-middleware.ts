// Hands a request to Fedify first; what Fedify does not serve (or serves only as JSON when the
// client wants HTML) falls through to Glose's own routes on the same URL.
import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { GloseContext } from "../federation/context.ts";

export function federationMiddleware(federation: Federation<GloseContext>, contextData: GloseContext): MiddlewareHandler {
  return async (c, next) => {
    const fallThrough = async () => {
      await next();
      return c.res;
    };
    return await federation.fetch(c.req.raw, {
      contextData,
      onNotFound: fallThrough,
      // A post the requester may not see answers as one that does not exist: 404 from the web
      // routes, as Mastodon answers, so that a stranger cannot tell the two apart.
      onUnauthorized: fallThrough,
      onNotAcceptable: async () => {
        await next();
        if (c.res.status !== 404) return c.res;
        return new Response("Not acceptable", { status: 406, headers: { "Content-Type": "text/plain", Vary: "Accept" } });
      },
    });
  };
}
