// createApp(deps): Fedify first, then Glose's own routes. Never listens; server.ts does.
import { Hono } from "hono";
import { adminRoutes, requireOwner } from "./web/admin.ts";
import { adminPostRoutes, editorAfterExpiredToken } from "./web/admin-posts.ts";
import { adminLocale } from "./web/admin-i18n.ts";
import { adminDeliveryRoutes } from "./web/admin-deliveries.ts";
import { adminSocialRoutes } from "./web/admin-social.ts";
import { adminTagRoutes } from "./web/admin-tags.ts";
import { adminMovingRoutes } from "./web/admin-moving.ts";
import { adminLinkHealthRoutes } from "./web/admin-link-health.ts";
import { movedNotice, shaarliRedirects } from "./web/moved.ts";
import { apiRoutes } from "./web/api.ts";
import { feedRoutes } from "./web/feeds.ts";
import { hostMetaRoutes } from "./web/host-meta.ts";
import { publicRoutes } from "./web/public.ts";
import { searchRoutes } from "./web/search.ts";
import { settingsRoutes } from "./web/settings.ts";
import { bodyLimits } from "./web/body-limit.ts";
import { canonicalOrigin } from "./web/canonical-origin.ts";
import { compression } from "./web/compression.ts";
import { staticAnswer, staticFiles } from "./web/static-files.ts";
import { healthRoutes } from "./web/health.ts";
import { mediaRoutes } from "./web/media.ts";
import { dropBlockedActivities, refuseControlCharacters, refuseDeepJson } from "./web/request-guards.ts";
import type { WebDeps, WebEnv } from "./web/context.ts";
import { cachedFederationDocuments } from "./web/federation-cache.ts";
import { federationMiddleware } from "./web/federation-middleware.ts";
import { notFoundPage, serverErrorPage } from "./web/error-pages.ts";
import { pageCache } from "./web/page-cache.ts";
import { csrfProtection, securityHeaders } from "./web/security.ts";
import { sessionMiddleware } from "./web/session.ts";
import { signingKeysFetchedOnce } from "./web/signing-keys.ts";
import { GloseKvStore } from "./federation/kv-store.ts";

export function createApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  staticFiles();

  app.onError(serverErrorPage(deps));
  app.notFound(notFoundPage(deps));

  // Before anything reads the URL: behind a TLS proxy the request arrives as plain http.
  app.use(canonicalOrigin(deps.config.origin));
  app.use(deps.metrics.middleware());
  // Outside every cache: what a cache answers is compressed already and passes through.
  app.use(compression());
  // A cached federation document needs none of what follows: answered here, the viewer decided as ever.
  const contextData = { db: deps.db, config: deps.config };
  app.use(cachedFederationDocuments(deps.federation, contextData, deps.readCache));
  app.route("/", healthRoutes(deps));
  app.get("/static/:name", (c) => staticAnswer(c.req.raw, c.req.param("name")) ?? c.notFound());
  app.route("/", mediaRoutes(deps));

  app.use(bodyLimits(deps.db));
  app.use(refuseControlCharacters());
  const keys = signingKeysFetchedOnce(deps.federation, contextData, new GloseKvStore(deps.db));
  for (const inbox of ["/inbox", "/users/:identifier/inbox"]) {
    app.use(inbox, refuseDeepJson());
    app.use(inbox, dropBlockedActivities(deps.db));
    app.use(inbox, keys);
  }
  app.use(securityHeaders());
  // Before Fedify and the moved notice (which reads the account): a cached page needs neither.
  app.use(pageCache(deps.readCache));
  app.use(federationMiddleware(deps.federation, contextData, deps.readCache));
  // The Shaarli API authenticates with its own tokens, not the admin's cookies.
  app.route("/api/v1", apiRoutes(deps));
  app.use(sessionMiddleware(deps.db));
  app.use("/admin/*", adminLocale(deps.db));
  app.use(csrfProtection(deps.config.origin, editorAfterExpiredToken(deps)));
  app.use("/admin/*", requireOwner());
  app.route("/admin", adminRoutes(deps));
  app.route("/admin", adminPostRoutes(deps));
  app.route("/admin", adminDeliveryRoutes(deps));
  app.route("/admin", adminSocialRoutes(deps));
  app.route("/admin", adminMovingRoutes(deps));
  app.route("/admin", adminTagRoutes(deps));
  app.route("/admin", adminLinkHealthRoutes(deps));
  app.route("/admin/settings", settingsRoutes(deps));
  app.route("/", hostMetaRoutes(deps));
  app.use(movedNotice(deps.db));
  app.route("/", shaarliRedirects(deps.db));
  app.route("/", feedRoutes(deps));
  app.route("/", searchRoutes(deps));
  app.route("/", publicRoutes(deps));
  return app;
}
