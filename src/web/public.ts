// The blog as visitors read it: home, permalinks, tags, and uploaded media.
import { Hono } from "hono";
import { html } from "hono/html";
import { getAccount } from "../data/account.ts";
import { getMedia } from "../data/media.ts";
import { decodePostCursor, encodePostCursor, getPost, listPosts } from "../data/posts.ts";
import type { Visibility } from "../../db/schema.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { countReactions } from "../data/reactions.ts";
import { getRemoteActors } from "../data/remote-actors.ts";
import { listRepliesForOwner, listVisibleReplies } from "../data/replies.ts";
import { page } from "./views/layout.ts";
import { interactForm, thread } from "./views/thread.ts";
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
        body: html`<main><nav><a href="/">←</a></nav>${postArticle(post, { owner, csrf: c.get("csrf"), permalink: true })}
${await conversation(deps, post.id, new URL(`/p/${post.id}`, deps.config.origin).href, owner, c.get("csrf"))}</main>`,
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

  // Remote interaction: the reader's server, found by WebFinger, opens the post or the profile.
  routes.get("/interact", async (c) => {
    const uri = c.req.query("uri") ?? "";
    const handle = (c.req.query("handle") ?? "").trim().replace(/^@/, "");
    if (!/^[^@\s]+@[^@\s]+$/.test(handle) || !uri.startsWith(deps.config.origin)) {
      return c.html(interactHelp(uri, "Type your handle as @you@your.server."), 400);
    }
    const ctx = deps.federation.createContext(new URL(deps.config.origin), { db: deps.db, config: deps.config });
    const jrd = await ctx.lookupWebFinger(`acct:${handle}`).catch(() => null);
    const template = jrd?.links?.find((link) => link.rel === "http://ostatus.org/schema/1.0/subscribe")?.template;
    if (template === undefined || !/^https?:\/\//.test(template)) {
      return c.html(interactHelp(uri, `Your server did not say how to open remote posts.`), 404);
    }
    return c.redirect(template.replace("{uri}", encodeURIComponent(uri)), 303);
  });

  return routes;
}

function interactHelp(uri: string, problem: string) {
  return page({
    title: "Interact from your server",
    body: html`<main class="narrow"><h1>Interact from your server</h1><p class="error" role="alert">${problem}</p>
<p>Paste this address into the search box of your Mastodon (or other fediverse) app: <code>${uri}</code></p>
${interactForm(uri, "Try another handle")}</main>`,
  });
}

async function conversation(deps: WebDeps, postId: string, postUrl: string, owner: boolean, csrf: string) {
  const replies = owner ? await listRepliesForOwner(deps.db, postId) : await listVisibleReplies(deps.db, postId);
  const actors = await getRemoteActors(deps.db, replies.map((reply) => reply.actor_id));
  const counts = (await countReactions(deps.db, [postId])).get(postId)!;
  return thread({ postUrl, replies, actors, likes: counts.like, boosts: counts.announce, owner, csrf });
}
