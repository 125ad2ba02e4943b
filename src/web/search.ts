// Search: full text over titles, commentaries, links and tags, with `#tag` filters; as a page
// and as Atom and RSS feeds.
import { Hono } from "hono";
import { html, raw } from "hono/html";
import { searchPosts } from "../data/search.ts";
import { countInteractions } from "../data/interaction-counts.ts";
import { blogContext } from "./blog-context.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { FEED_SIZE, FEED_VISIBILITIES, feedPaths, sendFeed, type FeedFormat } from "./feeds.ts";
import { PAGE_SIZE } from "./public.ts";
import { listedVisibilities, webViewer } from "../services/visibility.ts";
import { blogPage } from "./views/blog.ts";
import { postArticle } from "./views/post.ts";

const MAX_QUERY_LENGTH = 200;

export function searchRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/search", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.notFound();
    const query = (c.req.query("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
    const page = Math.max(1, Math.min(1000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const found =
      query === ""
        ? { total: 0, totalIsLowerBound: false, results: [] }
        : await searchPosts(deps.db, {
            query,
            visibilities: listedVisibilities(webViewer(blog.owner), "blog"),
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
            language: blog.account.language,
          });
    const counts = await countInteractions(deps.db, found.results.map((result) => result.post.id));
    const link = (n: number) => `/search?q=${encodeURIComponent(query)}&page=${n}`;
    const search = `?q=${encodeURIComponent(query)}`;
    return c.html(
      blogPage(blog, {
        title: query === "" ? blog.t.search : blog.t.searchTitle(query),
        query,
        feeds: query === "" ? undefined : feedPaths("/search/feed", search),
        main: html`<h1>${query === "" ? blog.t.search : blog.t.searchTitle(query)}</h1>
<form class="search-page" method="get" action="/search"><label class="visually-hidden" for="search-query">${blog.t.search}</label><div class="row"><input id="search-query" name="q" type="search" placeholder="${blog.t.searchPlaceholder}" value="${query}"><button type="submit">${blog.t.search}</button></div></form>
${query === "" ? "" : html`<p class="hint">${found.total === 0 ? blog.t.noResults : found.totalIsLowerBound ? blog.t.resultsAtLeast(found.total) : blog.t.results(found.total)}</p>`}
${found.results.map(({ post, excerpt }) =>
  postArticle(post, { t: blog.t, owner: blog.owner, counts: counts.get(post.id), excerpt: excerpt || undefined }),
)}
<nav class="pager">${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">← ${blog.t.newerPosts}</a>` : raw("<span></span>")}${
          page * PAGE_SIZE < found.total || (found.totalIsLowerBound && found.results.length === PAGE_SIZE) ? html`<a href="${link(page + 1)}" rel="next">${blog.t.olderPosts} →</a>` : ""
        }</nav>`,
      }),
    );
  });

  for (const format of ["atom", "rss"] as const satisfies readonly FeedFormat[]) {
    routes.get(`/search/feed.${format}`, async (c) => {
      const query = (c.req.query("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
      const found = query === "" ? { results: [] } : await searchPosts(deps.db, { query, visibilities: FEED_VISIBILITIES, limit: FEED_SIZE });
      const search = `?q=${encodeURIComponent(query)}`;
      return sendFeed(c, deps, format, {
        title: `${query}`,
        pagePath: `/search${search}`,
        paths: feedPaths("/search/feed", search),
        posts: found.results.map((result) => result.post),
      });
    });
  }

  return routes;
}
