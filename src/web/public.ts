// The blog as visitors read it: home, permalinks, tags, and uploaded media.
import { Hono } from "hono";
import { html } from "hono/html";
import { getAccount } from "../data/account.ts";
import { getMedia } from "../data/media.ts";
import { decodePostCursor, encodePostCursor, getPost, listPosts } from "../data/posts.ts";
import type { Visibility } from "../../db/schema.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { page } from "./views/layout.ts";
import { postArticle } from "./views/post.ts";

const PAGE_SIZE = 20;
const PUBLIC_VISIBILITIES: readonly Visibility[] = ["public", "unlisted"];
const OWNER_VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "followers", "private"];

export function publicRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/", async (c) => {
    const account = await getAccount(deps.db);
    if (account === undefined) return c.redirect("/admin", 302);
    const owner = c.get("owner");
    const before = decodePostCursor(c.req.query("before") ?? "");
    const rows = await listPosts(deps.db, {
      visibilities: owner ? OWNER_VISIBILITIES : PUBLIC_VISIBILITIES,
      before,
      limit: PAGE_SIZE + 1,
    });
    const posts = rows.slice(0, PAGE_SIZE);
    const last = posts.at(-1);
    const older = rows.length > PAGE_SIZE && last ? `/?before=${encodeURIComponent(encodePostCursor(last))}` : null;
    return c.html(
      page({
        title: account.display_name || account.username,
        lang: account.language,
        body: html`<main>
<header class="blog-header"><h1><a href="/">${account.display_name || account.username}</a></h1>
${owner ? html`<a href="/admin">Admin</a> · <a href="/admin/posts/new">New post</a>` : ""}</header>
${posts.length === 0 ? html`<p class="hint">Nothing posted yet.</p>` : posts.map((post) => postArticle(post, { owner }))}
<nav class="pager">${older ? html`<a href="${older}" rel="next">Older posts</a>` : ""}</nav>
</main>`,
      }),
    );
  });

  routes.get("/p/:id", async (c) => {
    const post = await getPost(deps.db, c.req.param("id").split("~")[0] ?? "");
    c.header("Vary", "Accept");
    const wantsJson = /application\/(activity|ld)\+json/.test(c.req.header("accept") ?? "");
    if (post === undefined) return c.notFound();
    if (post.deleted_at !== null || (wantsJson && post.visibility !== "private")) {
      // Fedify answered every live id; what reaches here as JSON is gone (deleted or superseded).
      if (wantsJson) {
        return c.json({ "@context": "https://www.w3.org/ns/activitystreams", id: new URL(c.req.path, deps.config.origin).href, type: "Tombstone" }, 410, {
          "Content-Type": "application/activity+json",
        });
      }
      return c.html(page({ title: "Deleted", body: html`<main><p>This post was deleted.</p></main>` }), 410);
    }
    const owner = c.get("owner");
    if (post.visibility !== "public" && post.visibility !== "unlisted" && !owner) return c.notFound();
    if (wantsJson) return c.notFound();
    return c.html(
      page({
        title: post.title,
        lang: post.language,
        head: html`<link rel="alternate" type="application/activity+json" href="${new URL(`/p/${post.id}`, deps.config.origin).href}">`,
        body: html`<main><nav><a href="/">←</a></nav>${postArticle(post, { owner, csrf: c.get("csrf"), permalink: true })}</main>`,
      }),
    );
  });

  routes.get("/tags/:tag", async (c) => {
    const tag = c.req.param("tag");
    const owner = c.get("owner");
    const posts = await listPosts(deps.db, {
      visibilities: owner ? OWNER_VISIBILITIES : PUBLIC_VISIBILITIES,
      tags: [tag],
      limit: PAGE_SIZE,
    });
    return c.html(
      page({
        title: `#${tag}`,
        body: html`<main><nav><a href="/">←</a></nav><h1>#${tag}</h1>${posts.map((post) => postArticle(post, { owner }))}</main>`,
      }),
      posts.length === 0 ? 404 : 200,
    );
  });

  routes.get("/media/:id", async (c) => {
    const media = await getMedia(deps.db, c.req.param("id"));
    if (media === undefined) return c.notFound();
    return c.body(Buffer.from(media.bytes), 200, {
      "Content-Type": media.content_type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    });
  });

  return routes;
}
