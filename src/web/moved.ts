// What the public side does for a blog that moved in or out: Shaarli's old permalinks of imported
// links (`/shaare/{hash}`, `/?{hash}`) redirect to their posts, and once the blog has moved away
// every page says where it went.
import { Hono, type MiddlewareHandler } from "hono";
import { html } from "hono/html";
import { getAccount } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import { findPostIdByShaarliHash } from "../data/shaarli-hashes.ts";
import type { WebEnv } from "./context.ts";

const SHAARLI_HASH = /^[A-Za-z0-9_-]{6}$/;

export function shaarliRedirects(db: Db): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  routes.get("/shaare/:hash", async (c) => {
    const hash = c.req.param("hash");
    const id = SHAARLI_HASH.test(hash) ? await findPostIdByShaarliHash(db, hash) : undefined;
    return id === undefined ? c.notFound() : c.redirect(`/p/${id}`, 301);
  });
  routes.get("/", async (c, next) => {
    const query = new URL(c.req.url).search.slice(1);
    if (!SHAARLI_HASH.test(query)) return await next();
    const id = await findPostIdByShaarliHash(db, query);
    return id === undefined ? await next() : c.redirect(`/p/${id}`, 301);
  });
  return routes;
}

/** Puts a notice at the top of every public HTML page once the blog has moved to another account. */
export function movedNotice(db: Db): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== "GET" || c.req.path.startsWith("/admin") || c.res.status !== 200) return;
    if (!(c.res.headers.get("content-type") ?? "").startsWith("text/html")) return;
    const movedTo = (await getAccount(db))?.moved_to;
    if (movedTo === null || movedTo === undefined) return;
    const notice = await html`<p class="notice moved" role="status">This blog has moved to <a href="${movedTo}" rel="me">${movedTo}</a>.</p>`;
    const body = (await c.res.text()).replace(/<body>\n?/, (tag) => `${tag}${notice}\n`);
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    c.res = new Response(body, { status: c.res.status, headers });
  };
}
