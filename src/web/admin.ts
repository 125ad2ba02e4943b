// The admin: first-run setup, login and logout, and the owner's home page.
import type { MessageQueueDepth } from "@fedify/fedify";
import { Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { preferredLanguage } from "../content/language.ts";
import { setUpAccount } from "../services/setup.ts";
import { logIn, logOut, startSession } from "../services/auth.ts";
import { getAccount } from "../data/account.ts";
import { countFollowers, listFollowers } from "../data/followers.ts";
import { countUnreadNotifications } from "../data/notifications.ts";
import { listTagNames } from "../data/posts.ts";
import { listOwnerPosts } from "../data/owner-posts.ts";
import { VISIBILITIES } from "../services/publishing.ts";
import type { Visibility } from "../../db/schema.ts";
import { normalizeTags } from "../content/index.ts";
import { adminMessages, type AdminMessages } from "./admin-i18n.ts";
import { listRecentlyDeleted } from "../data/deleted-posts.ts";
import type { UndoError } from "../services/undoing.ts";
import { countFailedSince } from "../data/deliveries.ts";
import { listHeldServers } from "../federation/circuit-state.ts";
import { GloseKvStore } from "../federation/kv-store.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { clearSessionCookie, clientAddress, DEVICE_COOKIE, SESSION_COOKIE, setDeviceCookie, setSessionCookie } from "./session.ts";
import { editorWithDraft } from "./admin-posts.ts";
import { carriedDraft, draftFromLogin, loginKeepingDraft } from "./login-draft.ts";
import { settingsWithDraft } from "./settings.ts";
import { adminHomePage, loginPage, setupPage, type DashboardFilters } from "./views/admin.ts";

const POSTS_PER_PAGE = 25;

/** The setup page proposes the browser's language for the posts, else English. */
function browserLanguage(acceptLanguage: string | undefined): string {
  return preferredLanguage(acceptLanguage) ?? "en";
}


export function adminRoutes(deps: WebDeps): Hono<WebEnv> {
  const { db, config } = deps;
  const host = new URL(config.origin).host;
  const undoWindowMs = deps.publishing.undoWindowMs ?? 0;
  const admin = new Hono<WebEnv>();

  admin.get("/", async (c) => {
    const account = await getAccount(db);
    const locale = c.get("locale");
    if (account === undefined) {
      return c.html(setupPage({ csrf: c.get("csrf"), locale, host, language: browserLanguage(c.req.header("accept-language")) }));
    }
    if (!c.get("owner")) return c.html(loginPage({ csrf: c.get("csrf"), locale }), 401);
    const ctx = deps.federation.createContext(new URL(config.origin), { db, config });
    const filters = readFilters((name) => c.req.query(name));
    const { total, posts } = await listOwnerPosts(db, {
      text: filters.q,
      visibilities: filters.visibility === null ? VISIBILITIES : [filters.visibility],
      tag: filters.tag,
      withReplies: filters.withReplies,
      limit: POSTS_PER_PAGE,
      offset: (filters.page - 1) * POSTS_PER_PAGE,
      language: account.language,
    });
    c.header("Cache-Control", "no-store");
    return c.html(
      adminHomePage({
        csrf: c.get("csrf"),
        locale,
        handle: `@${account.username}@${host}`,
        actorUrl: ctx.getActorUri(account.username).href,
        followers: await countFollowers(db),
        posts,
        total,
        pages: Math.max(1, Math.ceil(total / POSTS_PER_PAGE)),
        filters,
        tags: await listTagNames(db),
        origin: config.origin,
        notice: dashboardNotice(adminMessages(locale), (name) => c.req.query(name), undoWindowMs),
        error: undoError(adminMessages(locale), c.req.query("undo")),
        recentlyDeleted: undoWindowMs > 0 ? await listRecentlyDeleted(db, undoWindowMs) : [],
        unread: await countUnreadNotifications(db),
        pending: (await listFollowers(db, { status: "pending" })).length,
        apiSecret: c.req.query("secret") === "show" ? account.api_secret : undefined,
        apiSecretFromEnvironment: config.apiSecret !== null,
        queue: {
          ...readyAndDelayed(await deps.queue.getDepth()),
          failedLastDay: await countFailedSince(db, new Date(Date.now() - 24 * 3600 * 1000)),
          held: await listHeldServers(new GloseKvStore(db)),
        },
      }),
    );
  });

  admin.post("/setup", async (c) => {
    const form = await c.req.parseBody();
    const username = String(form.username ?? "");
    const language = String(form.language ?? "");
    const result = await setUpAccount(db, { username, password: String(form.password ?? ""), language, apiSecret: config.apiSecret });
    if (!result.ok) {
      if (result.error === "exists") return c.redirect("/admin", 303);
      return c.html(setupPage({ csrf: c.get("csrf"), locale: c.get("locale"), host, username, language, error: result.error }), 400);
    }
    const session = await startSession(db, c.req.header("user-agent") ?? null);
    setSessionCookie(c, session.token, session.expiresAt, config.origin);
    return c.redirect("/admin", 303);
  });

  admin.get("/login", (c) => c.redirect("/admin", 303));

  admin.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(String(form.next ?? "/admin"));
    const result = await logIn(db, {
      password: String(form.password ?? ""),
      address: clientAddress(c, config.trustProxy),
      device: getCookie(c, DEVICE_COOKIE),
      userAgent: c.req.header("user-agent") ?? null,
    });
    if (result.ok) {
      setSessionCookie(c, result.token, result.expiresAt, config.origin);
      setDeviceCookie(c, result.device, config.origin);
      const draft = draftFromLogin(form);
      if (draft === undefined) return c.redirect(next, 303);
      if (draft.target.form === "settings") return await settingsWithDraft(deps, c, draft.fields);
      return await editorWithDraft(deps, c, draft.target.postId, draft.fields);
    }
    const draft = carriedDraft(form);
    switch (result.error) {
      case "no-account":
        return c.redirect("/admin", 303);
      case "wrong-password":
        return c.html(loginPage({ csrf: c.get("csrf"), locale: c.get("locale"), next, draft, error: adminMessages(c.get("locale")).wrongPassword }), 401);
      case "too-many-attempts":
        c.header("Retry-After", String(result.retryAfterSeconds));
        return c.html(
          loginPage({
            csrf: c.get("csrf"),
            locale: c.get("locale"),
            next,
            draft,
            error: adminMessages(c.get("locale")).tooManyAttempts(result.retryAfterSeconds),
          }),
          429,
        );
    }
  });

  admin.post("/logout", async (c) => {
    await logOut(db, getCookie(c, SESSION_COOKIE));
    clearSessionCookie(c);
    return c.redirect("/", 303);
  });

  return admin;
}

const OPEN_PATHS = new Set(["/admin", "/admin/", "/admin/setup", "/admin/login", "/admin/logout"]);

/** Everything under /admin but setup and login is the owner's. */
export function requireOwner(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.get("owner") || OPEN_PATHS.has(c.req.path)) return await next();
    if (c.req.method !== "GET") return (await loginKeepingDraft(c)) ?? c.text(adminMessages(c.get("locale")).logInFirst, 401);
    const url = new URL(c.req.url);
    return c.html(loginPage({ csrf: c.get("csrf"), locale: c.get("locale"), next: url.pathname + url.search }), 401);
  };
}

function readyAndDelayed(depth: MessageQueueDepth): { ready: number; delayed: number } {
  return { ready: depth.ready ?? depth.queued, delayed: depth.delayed ?? 0 };
}

/** After a delete (whose Undo shows on its own while it is possible) or an undo. */
function dashboardNotice(t: AdminMessages, query: (name: string) => string | undefined, undoWindowMs: number): string | undefined {
  if (query("restored") !== undefined) return t.restored;
  if (query("deleted") !== undefined && undoWindowMs === 0) return t.deleted;
  return undefined;
}

function undoError(t: AdminMessages, error: string | undefined): string | undefined {
  return error !== undefined && Object.hasOwn(t.undoErrors, error) ? t.undoErrors[error as UndoError] : undefined;
}

/** Only same-site paths may follow a login, never another host. */
function safeNext(next: string): string {
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/admin";
}

/** The dashboard's query parameters; anything unknown is no filter. */
function readFilters(query: (name: string) => string | undefined): DashboardFilters {
  const visibility = query("visibility") as Visibility | undefined;
  const tag = normalizeTags(query("tag") ?? "")[0] ?? null;
  const page = Number(query("page") ?? "1");
  return {
    q: (query("q") ?? "").trim().slice(0, 500),
    visibility: visibility !== undefined && VISIBILITIES.includes(visibility) ? visibility : null,
    tag,
    withReplies: query("replies") === "1",
    page: Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}
