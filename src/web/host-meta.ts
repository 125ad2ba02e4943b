// host-meta (RFC 6415): where older fediverse software looks for the WebFinger endpoint.
import { Hono } from "hono";
import type { WebDeps, WebEnv } from "./context.ts";
import { xmlAttribute } from "./feed-writer.ts";

export function hostMetaRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  const template = xmlAttribute(`${deps.config.origin}/.well-known/webfinger?resource={uri}`);
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
<Link rel="lrdd" type="application/jrd+json" template="${template}"/>
</XRD>
`;
  routes.get("/.well-known/host-meta", (c) =>
    c.body(body, 200, { "Content-Type": "application/xrd+xml; charset=utf-8", "Cache-Control": "public, max-age=86400" }),
  );
  return routes;
}
