// The Shaarli REST API v1, so that Shaarli's apps and scripts post to Glose. Mounted at /api/v1,
// outside the cookie session and CSRF checks: every request carries its own signed token.
import { getLogger } from "@logtape/logtape";
import { Hono } from "hono";
import { getAccount } from "../data/account.ts";
import { countPosts, listHistory } from "../data/posts.ts";
import { verifyShaarliToken, type TokenCheck } from "./api/jwt.ts";
import { ALL_VISIBILITIES, apiError, atomDate, parseIsoDate, parsePaging, type ApiDeps, type ApiEnv } from "./api/common.ts";
import { linkRoutes } from "./api/links.ts";
import { tagRoutes } from "./api/tags.ts";
import { bodyLimit } from "./body-limit.ts";

const logger = getLogger(["glose", "api"]);

/** A link's commentary is at most 100,000 characters; its JSON fits well within this. */
export const API_BODY_LIMIT = 1024 * 1024;

/** Clock trouble is the likely cause of a token out of its 9 minutes. */
function explain(reason: string): string {
  if (reason === "the token has expired" || reason === "the token is issued in the future") {
    return `${reason}: tokens are good for 9 minutes around their time, check this device's clock`;
  }
  if (reason === "bad signature") return "bad signature: the token was not signed with this Glose's API secret";
  return reason;
}

export function apiRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();

  api.onError((error, c) => {
    logger.error("API request {method} {path} failed: {error}", { method: c.req.method, path: c.req.path, error });
    return apiError(c, 500, "Internal error");
  });

  // As Shaarli: every failure is a 401 "Not authorized"; the reason follows, so that the owner
  // setting up an app learns whether the secret or the device's clock is wrong.
  api.use("*", async (c, next) => {
    const account = await getAccount(deps.db);
    const check: TokenCheck =
      account === undefined ? { ok: false, reason: "no account yet" } : verifyShaarliToken(c.req.header("authorization"), account.api_secret);
    if (!check.ok || account === undefined) {
      logger.info("API request {method} {path} refused: {reason}", { method: c.req.method, path: c.req.path, reason: check.ok ? "" : check.reason });
      c.header("WWW-Authenticate", 'Bearer realm="Shaarli API"');
      return apiError(c, 401, `Not authorized: ${check.ok ? "no account yet" : explain(check.reason)}`);
    }
    c.set("account", account);
    await next();
  });
  api.use("*", bodyLimit(API_BODY_LIMIT));

  api.get("/info", async (c) => {
    const account = c.get("account");
    const [all, privateCount] = await Promise.all([
      countPosts(deps.db, { visibilities: ALL_VISIBILITIES }),
      countPosts(deps.db, { visibilities: ["private"] }),
    ]);
    return c.json({
      global_counter: all,
      private_counter: privateCount,
      settings: {
        title: account.display_name || account.username,
        header_link: `${deps.config.origin}/`,
        timezone: "UTC",
        enabled_plugins: [],
        default_private_links: account.default_visibility === "private",
        tags_separator: " ",
      },
    });
  });

  // Newest first; `since` keeps what happened strictly after it.
  api.get("/history", async (c) => {
    const paging = parsePaging(c.req.query("offset"), c.req.query("limit"), "all");
    if (!paging.ok) return apiError(c, 400, paging.message);
    const sinceText = c.req.query("since") ?? "";
    const since = sinceText.trim() === "" ? undefined : parseIsoDate(sinceText);
    if (since === null) return apiError(c, 400, "Invalid since: ISO 8601 date expected");
    const events = await listHistory(deps.db, { since, offset: paging.offset, limit: paging.limit });
    return c.json(events.map((entry) => ({ event: entry.event, id: entry.post_id ?? "", datetime: atomDate(entry.at) })));
  });

  api.route("/", linkRoutes(deps));
  api.route("/", tagRoutes(deps));
  api.all("*", (c) => apiError(c, 404, "Not found"));
  return api;
}
