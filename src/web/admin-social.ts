// The owner's social routes: notifications, followers and requests, quotes, blocks, reply moderation.
import { Hono, type Context } from "hono";
import { getLogger } from "@logtape/logtape";
import { getAccount } from "../data/account.ts";
import { listBlocks } from "../data/blocks.ts";
import { listFollowers } from "../data/followers.ts";
import { listNotifications, markNotificationsRead } from "../data/notifications.ts";
import { listQuotesForOwner } from "../data/quotes.ts";
import { getRemoteActors } from "../data/remote-actors.ts";
import { getReply, type ReplyRow } from "../data/replies.ts";
import {
  approveFollower,
  blockActor,
  blockDomain,
  deleteReplyAsOwner,
  parseDomain,
  rejectFollower,
  setReplyHidden,
  unblock,
} from "../services/moderation.ts";
import { approveQuote, rejectQuote, revokeQuote, setQuotePolicy } from "../services/quotes.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { blocksPage, followersPage, notificationsPage, quotesPage } from "./views/social.ts";

const logger = getLogger(["glose", "web"]);

export function adminSocialRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  const { db } = deps;
  const field = async (c: Context<WebEnv>, name: string) => {
    const value = (await c.req.parseBody())[name];
    return typeof value === "string" ? value : "";
  };

  routes.get("/notifications", async (c) => {
    const notifications = await listNotifications(db);
    const actors = await getRemoteActors(db, notifications.map((n) => n.actor_id));
    const replies = new Map<string, ReplyRow>();
    for (const n of notifications) {
      const reply = n.reply_id === null ? undefined : await getReply(db, n.reply_id);
      if (reply !== undefined && reply.deleted_at === null) replies.set(reply.id, reply);
    }
    const response = c.html(notificationsPage({ csrf: c.get("csrf"), locale: c.get("locale"), notifications, actors, replies }));
    await markNotificationsRead(db);
    return response;
  });

  const renderFollowers = async (c: Context<WebEnv>, error?: string) => {
    const followers = await listFollowers(db);
    const pending = await listFollowers(db, { status: "pending" });
    // The handles of the former accounts whose moves brought followers.
    const former = await getRemoteActors(db, [...new Set([...followers, ...pending].flatMap((f) => f.moved_from ?? []))]);
    return followersPage({
      csrf: c.get("csrf"),
      locale: c.get("locale"),
      followers,
      pending,
      movedFrom: new Map([...former].map(([id, actor]) => [id, actor.handle])),
      locked: (await getAccount(db))?.locked ?? false,
      error,
    });
  };
  const renderBlocks = async (c: Context<WebEnv>, error?: string) => blocksPage({ csrf: c.get("csrf"), locale: c.get("locale"), blocks: await listBlocks(db), error });

  /**
   * Runs a moderation step, then goes to `next`. When the step fails (the database or the queue),
   * its transaction rolled back: the owner sees the page again with that said, and a 503.
   */
  const moderate = async (c: Context<WebEnv>, step: () => Promise<unknown>, next: string, render: typeof renderBlocks) => {
    try {
      await step();
    } catch (error) {
      logger.error("Moderation step {path} failed, nothing changed: {error}", { path: c.req.path, error });
      // Its transaction rolled back, so nothing changed.
      const failed = adminMessages(c.get("locale")).moderationFailed;
      const page = await render(c, failed).catch(() => null);
      return page === null ? c.text(failed, 503) : c.html(page, 503);
    }
    return c.redirect(next, 303);
  };

  routes.get("/followers", async (c) => c.html(await renderFollowers(c)));

  routes.post("/followers/approve", async (c) => {
    const actorId = await field(c, "actor");
    return await moderate(c, () => approveFollower(deps.moderation, actorId), "/admin/followers", renderFollowers);
  });

  routes.post("/followers/reject", async (c) => {
    const actorId = await field(c, "actor");
    return await moderate(c, () => rejectFollower(deps.moderation, actorId), "/admin/followers", renderFollowers);
  });

  routes.get("/quotes", async (c) => {
    const quotes = await listQuotesForOwner(db);
    const actors = await getRemoteActors(db, quotes.map((quote) => quote.actor_id));
    const policy = (await getAccount(db))?.quote_policy ?? "automatic";
    return c.html(quotesPage({ csrf: c.get("csrf"), locale: c.get("locale"), policy, quotes, actors }));
  });

  routes.post("/quotes/policy", async (c) => {
    if (!(await setQuotePolicy(db, await field(c, "policy")))) return c.text(adminMessages(c.get("locale")).unknownQuotePolicy, 400);
    return c.redirect("/admin/quotes", 303);
  });

  for (const [action, decide] of [["approve", approveQuote], ["reject", rejectQuote], ["revoke", revokeQuote]] as const) {
    routes.post(`/quotes/${action}`, async (c) => {
      if (!(await decide(deps.quotes, await field(c, "quote")))) return c.notFound();
      return c.redirect("/admin/quotes", 303);
    });
  }

  routes.get("/blocks", async (c) => c.html(await renderBlocks(c)));

  routes.post("/blocks/domain", async (c) => {
    const domain = parseDomain(await field(c, "domain"));
    if (domain === null || domain === new URL(deps.config.origin).hostname) {
      return c.html(await renderBlocks(c, adminMessages(c.get("locale")).domainExpected), 400);
    }
    return await moderate(c, () => blockDomain(deps.moderation, domain), "/admin/blocks", renderBlocks);
  });

  routes.post("/blocks/actor", async (c) => {
    const actorId = await field(c, "actor");
    if (!URL.canParse(actorId)) return c.text(adminMessages(c.get("locale")).notAnAccount, 400);
    return await moderate(c, () => blockActor(deps.moderation, actorId), "/admin/blocks", renderBlocks);
  });

  routes.post("/blocks/actor-of-reply", async (c) => {
    const reply = await getReply(db, await field(c, "reply"));
    if (reply === undefined) return c.notFound();
    return await moderate(c, () => blockActor(deps.moderation, reply.actor_id), `/p/${reply.post_id}`, renderBlocks);
  });

  routes.post("/blocks/remove", async (c) => {
    const form = await c.req.parseBody();
    const kind = form.kind === "domain" ? "domain" : "actor";
    await unblock(db, kind, String(form.value ?? ""));
    return c.redirect("/admin/blocks", 303);
  });

  for (const action of ["hide", "show", "delete"] as const) {
    routes.post(`/replies/${action}`, async (c) => {
      const reply = await getReply(db, await field(c, "reply"));
      if (reply === undefined) return c.notFound();
      if (action === "delete") await deleteReplyAsOwner(db, reply.id);
      else await setReplyHidden(db, reply.id, action === "hide");
      return c.redirect(`/p/${reply.post_id}#replies`, 303);
    });
  }

  return routes;
}
