// Hands a request to Fedify first; what Fedify does not serve (or serves only as JSON when the
// client wants HTML) falls through to Glose's own routes on the same URL.
import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import type { GloseContext } from "../federation/context.ts";

export function federationMiddleware(federation: Federation<GloseContext>, contextData: GloseContext): MiddlewareHandler {
  return async (c, next) =>
    await federation.fetch(c.req.raw, {
      contextData,
      onNotFound: async () => {
        await next();
        return c.res;
      },
      onNotAcceptable: async () => {
        await next();
        if (c.res.status !== 404) return c.res;
        return new Response("Not acceptable", { status: 406, headers: { "Content-Type": "text/plain", Vary: "Accept" } });
      },
    });
}
