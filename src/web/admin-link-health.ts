// The owner's link health page: counts and lists by status, checks on demand, and the edits
// that mend dead and moved links (each sent to followers as an Update).
import { Hono, type Context } from "hono";
import type { LinkStatus } from "../../db/schema.ts";
import { countLinkStatuses, listLinkChecks } from "../data/link-checks.ts";
import {
  addArchiveLink,
  applyToAll,
  checkAllLinksSoon,
  checkPostLink,
  linkHealthDeps,
  updateMovedLink,
  type LinkActionError,
  type LinkActionResult,
} from "../services/link-health.ts";
import { VERSION } from "../version.ts";
import { adminMessages, type AdminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { linkHealthPage } from "./views/link-health.ts";

const LISTED: readonly LinkStatus[] = ["dead", "moved", "failing", "refused", "unchecked", "healthy"];

type NoticeKey = keyof AdminMessages["linkNotices"];

const ERROR_STATUS: Record<LinkActionError, 400 | 404 | 409> = {
  "not-found": 404,
  "no-link": 400,
  "not-dead": 409,
  "not-moved": 409,
  duplicate: 409,
  "invalid-url": 400,
  empty: 400,
  "too-long": 400,
  "invalid-visibility": 400,
};

export function adminLinkHealthRoutes(deps: WebDeps): Hono<WebEnv> {
  const { db, config } = deps;
  const routes = new Hono<WebEnv>();
  const checks = linkHealthDeps(db, {
    allowPrivateAddress: config.allowPrivateAddress,
    userAgent: `Glose/${VERSION} (+${config.origin})`,
    archiveOnPublish: false,
  });
  const editing = { db, publishing: deps.publishing };

  const show = async (c: Context<WebEnv>, status: 200 | 400 | 404 | 409 = 200, error?: string) => {
    const counts = await countLinkStatuses(db);
    const lists = Object.fromEntries(await Promise.all(LISTED.map(async (s) => [s, await listLinkChecks(db, s)] as const)));
    return c.html(linkHealthPage({ csrf: c.get("csrf"), locale: c.get("locale"), counts, lists, notice: error === undefined ? notice(adminMessages(c.get("locale")), c.req.query("done"), c.req.query("n")) : undefined, error }), status);
  };
  const done = (c: Context<WebEnv>, key: NoticeKey, n = "") =>
    c.redirect(`/admin/links/health?done=${key}&n=${encodeURIComponent(n)}`, 303);
  const postOf = async (c: Context<WebEnv>) => String((await c.req.parseBody()).post ?? "");
  const outcome = (c: Context<WebEnv>, result: LinkActionResult, key: NoticeKey) => {
    if (result.ok) return done(c, key);
    return show(c, ERROR_STATUS[result.error], adminMessages(c.get("locale")).linkErrors[result.error]);
  };

  routes.get("/links/health", (c) => show(c));

  routes.post("/links/health/check", async (c) => {
    const row = await checkPostLink(checks, await postOf(c));
    return row === undefined ? await show(c, 404, adminMessages(c.get("locale")).noLinkToCheck) : done(c, "checked", row.status);
  });

  routes.post("/links/health/check-all", async (c) => {
    await checkAllLinksSoon(checks);
    return done(c, "soon");
  });

  routes.post("/links/health/archive", async (c) => outcome(c, await addArchiveLink(editing, await postOf(c)), "archived"));

  routes.post("/links/health/update", async (c) => outcome(c, await updateMovedLink(editing, await postOf(c)), "updated"));

  routes.post("/links/health/archive-all", async (c) => {
    const count = await applyToAll(editing, "dead", addArchiveLink);
    return done(c, "archived-all", String(count));
  });

  routes.post("/links/health/update-all", async (c) => {
    const count = await applyToAll(editing, "moved", updateMovedLink);
    return done(c, "updated-all", String(count));
  });

  return routes;
}

function notice(t: AdminMessages, key: string | undefined, n: string | undefined): string | undefined {
  if (key === undefined || !Object.hasOwn(t.linkNotices, key)) return undefined;
  const value = /^[a-z0-9]{1,12}$/.test(n ?? "") ? n! : "";
  // "checked" names the link's new status, in the owner's language.
  const shown = key === "checked" && Object.hasOwn(t.linkStatuses, value) ? t.linkStatuses[value as LinkStatus] : value;
  return t.linkNotices[key as NoticeKey](shown);
}
