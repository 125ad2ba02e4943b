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
import type { WebDeps, WebEnv } from "./context.ts";
import { linkHealthPage } from "./views/link-health.ts";

const LISTED: readonly LinkStatus[] = ["dead", "moved", "failing", "refused", "unchecked", "healthy"];

const NOTICES = {
  checked: (n: string) => `Checked: ${n}.`,
  soon: () => "Every link will be checked within the next hours.",
  archived: () => "archived",
  updated: () => "updated",
  "archived-all": (n: string) => `Archive links added to ${n} posts.`,
  "updated-all": (n: string) => `${n} links updated.`,
} as const;

const ERRORS: Record<LinkActionError, [400 | 404 | 409, string]> = {
  "not-found": [404, "There is no such post."],
  "no-link": [400, "That post has no link."],
  "not-dead": [409, "That link is not dead: check it again first."],
  "not-moved": [409, "That link has not moved: check it again first."],
  duplicate: [409, "Another post already has the new address."],
  "invalid-url": [400, "The new address is not a valid link."],
  empty: [400, "The post would be empty."],
  "too-long": [400, "The commentary would be too long."],
  "invalid-visibility": [400, "The post's visibility is not valid."],
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
    return c.html(linkHealthPage({ csrf: c.get("csrf"), locale: c.get("locale"), counts, lists, notice: error === undefined ? notice(c.req.query("done"), c.req.query("n")) : undefined, error }), status);
  };
  const done = (c: Context<WebEnv>, key: keyof typeof NOTICES, n = "") =>
    c.redirect(`/admin/links/health?done=${key}&n=${encodeURIComponent(n)}`, 303);
  const postOf = async (c: Context<WebEnv>) => String((await c.req.parseBody()).post ?? "");
  const outcome = (c: Context<WebEnv>, result: LinkActionResult, key: keyof typeof NOTICES) => {
    if (result.ok) return done(c, key);
    const [status, message] = ERRORS[result.error];
    return show(c, status, message);
  };

  routes.get("/links/health", (c) => show(c));

  routes.post("/links/health/check", async (c) => {
    const row = await checkPostLink(checks, await postOf(c));
    return row === undefined ? await show(c, 404, "That post has no link to check.") : done(c, "checked", row.status);
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

function notice(key: string | undefined, n: string | undefined): string | undefined {
  if (key === undefined || !Object.hasOwn(NOTICES, key)) return undefined;
  return NOTICES[key as keyof typeof NOTICES](/^[a-z0-9]{1,12}$/.test(n ?? "") ? n! : "");
}
