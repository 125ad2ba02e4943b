// The blog as visitors read it: home, permalinks, tags, daily digest, remote interaction.
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import { frenchText, htmlToText, isFrench } from "../content/index.ts";
import {
  decodePostCursor,
  encodePostCursor,
  getPost,
  listPosts,
  listPostsAfter,
  listPostsBetween,
  listTagCounts,
  nearestPostDate,
  type PostRow,
} from "../data/posts.ts";
import { listAcceptedQuotes } from "../data/quotes.ts";
import { countEmojiReactions, listReactions } from "../data/reactions.ts";
import { getRemoteActors } from "../data/remote-actors.ts";
import { listVisibleReplies } from "../data/replies.ts";
import { countInteractions } from "../data/interaction-counts.ts";
import { listedVisibilities, maySee, webViewer } from "../services/visibility.ts";
import { blogContext } from "./blog-context.ts";
import { xmlAttribute, xmlText } from "./feed-writer.ts";
import { feedPaths } from "./feeds.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { tagActorsOf } from "../services/tag-actors.ts";
import { blogPage, interactForm, profileHeader, tagHandle, type BlogContext } from "./views/blog.ts";
import { formatDate, postArticle } from "./views/post.ts";
import { getLinkCheck } from "../data/link-checks.ts";
import { thread } from "./views/thread.ts";
import { errorPage } from "./error-pages.ts";
import { collator } from "../content/index.ts";
import { tagSpellings } from "../data/tags.ts";

export const PAGE_SIZE = 20;

export function publicRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  const visibilities = (blog: BlogContext) => listedVisibilities(webViewer(blog.owner), "blog");
  const articles = async (blog: BlogContext, posts: readonly PostRow[]) => {
    const counts = await countInteractions(deps.db, posts.map((post) => post.id));
    return posts.map((post) => postArticle(post, { t: blog.t, owner: blog.owner, counts: counts.get(post.id) }));
  };

  /** A page of posts, newest first, with keyset links to older and newer pages. */
  const postList = async (c: Context<WebEnv>, blog: BlogContext, anyTag: readonly string[] | undefined, base: string) => {
    const before = decodePostCursor(c.req.query("before") ?? "");
    const after = decodePostCursor(c.req.query("after") ?? "");
    const query = { visibilities: visibilities(blog), anyTag, pinned: anyTag === undefined ? false : undefined };
    let rows: PostRow[];
    let hasOlder: boolean;
    let hasNewer: boolean;
    if (after !== undefined) {
      const newer = await listPostsAfter(deps.db, { ...query, after, limit: PAGE_SIZE + 1 });
      hasNewer = newer.length > PAGE_SIZE;
      rows = newer.slice(0, PAGE_SIZE).reverse();
      hasOlder = true;
    } else {
      const older = await listPosts(deps.db, { ...query, before, limit: PAGE_SIZE + 1 });
      hasOlder = older.length > PAGE_SIZE;
      rows = older.slice(0, PAGE_SIZE);
      hasNewer = before !== undefined;
    }
    const first = rows[0];
    const last = rows.at(-1);
    const link = (key: string, row: PostRow) => `${base}?${key}=${encodeURIComponent(encodePostCursor(row))}`;
    const pager = html`<nav class="pager">${hasNewer && first ? html`<a href="${link("after", first)}" rel="prev">← ${blog.t.newerPosts}</a>` : html`<span></span>`}${
      hasOlder && last ? html`<a href="${link("before", last)}" rel="next">${blog.t.olderPosts} →</a>` : ""
    }</nav>`;
    return { rows, pager, firstPage: before === undefined && after === undefined };
  };

  routes.get("/", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.redirect("/admin", 302);
    const { rows, pager, firstPage } = await postList(c, blog, undefined, "/");
    const pinned = firstPage ? await listPosts(deps.db, { visibilities: visibilities(blog), pinned: true, limit: 20 }) : [];
    return c.html(
      blogPage(blog, {
        title: blog.account.display_name || blog.account.username,
        head: openGraph(blog, { title: blog.account.display_name || blog.account.username, description: blog.account.summary, url: `${deps.config.origin}/`, image: blog.account.avatar_url }),
        main: html`${firstPage ? profileHeader(blog, blog.actor) : html`<h1>${blog.t.olderPosts}</h1>`}
${pinned.length + rows.length === 0 ? html`<p class="hint">${blog.t.nothingYet}</p>` : ""}
${await articles(blog, [...pinned, ...rows])}
${pager}`,
      }),
    );
  });

  routes.get("/p/:id", async (c) => {
    c.header("Vary", "Accept");
    const blog = await blogContext(deps, c);
    const [postId = "", generation = "0"] = c.req.param("id").split("~");
    const post = await getPost(deps.db, postId);
    const wantsJson = /application\/(activity|ld)\+json/.test(c.req.header("accept") ?? "");
    if (blog === null || post === undefined) return c.notFound();
    // Fedify answers the Note of a live post to whoever may see it; JSON asked here is of a
    // deleted post, or of the id a post had before it was withdrawn and republished: gone.
    if (post.deleted_at !== null || (wantsJson && Number(generation) < post.generation)) {
      if (wantsJson) {
        const tombstone = { "@context": "https://www.w3.org/ns/activitystreams", id: new URL(c.req.path, deps.config.origin).href, type: "Tombstone" };
        return c.body(JSON.stringify(tombstone), 410, { "Content-Type": "application/activity+json" });
      }
      return await errorPage(c, blog, 410);
    }
    // The rest of JSON is a private post or one refused to this requester: as if it did not exist.
    if (wantsJson || !maySee(post, webViewer(blog.owner))) return c.notFound();
    const url = `${deps.config.origin}/p/${post.id}`;
    const replies = await listVisibleReplies(deps.db, post.id, { includeHidden: blog.owner });
    const [likes, boosts, emojiReactions, quotes, linkCheck] = await Promise.all([
      listReactions(deps.db, post.id, "like"),
      listReactions(deps.db, post.id, "announce"),
      countEmojiReactions(deps.db, post.id),
      listAcceptedQuotes(deps.db, post.id),
      getLinkCheck(deps.db, post.id),
    ]);
    const deadLink = linkCheck?.status === "dead" && linkCheck.url === post.url;
    const actors = await getRemoteActors(deps.db, [...replies, ...likes, ...boosts, ...quotes].map((item) => item.actor_id));
    // Typeset before hono/html escapes it: the title and the cards' text read like the page.
    const typeset = (text: string) => (isFrench(post.language) ? frenchText(text) : text);
    return c.html(
      blogPage(blog, {
        title: typeset(post.title),
        activity: url,
        head: html`<link rel="canonical" href="${url}">
${openGraph(blog, { title: typeset(post.title), description: typeset(htmlToText(post.comment_html)), url, image: post.preview?.image ?? blog.account.avatar_url, article: post })}`,
        main: html`${postArticle(post, { t: blog.t, owner: blog.owner, permalink: true, csrf: c.get("csrf"), deadLink })}
${thread(blog, { postUrl: url, replies, actors, likes: likes.map((like) => like.actor_id), boosts: boosts.map((boost) => boost.actor_id), emojiReactions, quotes, csrf: c.get("csrf") })}`,
      }),
    );
  });

  routes.get("/tags", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.notFound();
    const counts = await listTagCounts(deps.db, visibilities(blog));
    // Sizes 2 to 5 on a log scale from the rarest tag up; counts less than 8 times apart stay close.
    const min = Math.max(1, Math.min(...counts.map((entry) => entry.count)));
    const spread = Math.log(Math.max(8, Math.max(...counts.map((entry) => entry.count)) / min));
    const weight = (count: number) => 2 + Math.round((3 * Math.log(count / min)) / spread);
    const order = collator(blog.account.language || blog.locale);
    const byName = [...counts].sort((a, b) => order.compare(a.tag, b.tag));
    return c.html(
      blogPage(blog, {
        title: blog.t.tags,
        main: html`<h1>${blog.t.tags}</h1>
<section aria-label="${blog.t.tagCloud}"><h2 class="section-title">${blog.t.tagCloud}</h2><p class="tag-cloud">${byName.map(
          ({ tag, count }) => html`<a href="/tags/${encodeURIComponent(tag)}" class="weight-${weight(count)}" title="${blog.t.postsCount(count)}">#${tag}</a> `,
        )}</p></section>
<section aria-label="${blog.t.tagList}"><h2 class="section-title">${blog.t.tagList}</h2><ul class="tag-list">${byName.map(
          ({ tag, count }) => html`<li><a href="/tags/${encodeURIComponent(tag)}">#${tag}</a> <span class="hint">${blog.t.postsCount(count)}</span></li>`,
        )}</ul></section>`,
      }),
    );
  });

  routes.get("/tags/:tag", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.notFound();
    // Any spelling of the tag (/tags/ia shows #IA), named as most of its posts spell it.
    const asked = c.req.param("tag").normalize("NFC");
    const spellings = await tagSpellings(deps.db, asked);
    const tag = spellings[0] ?? asked;
    const { rows, pager } = await postList(c, blog, spellings, `/tags/${encodeURIComponent(tag)}`);
    const [tagActor] = await tagActorsOf(deps.db, [tag]);
    const actorUrl = tagActor === undefined ? undefined : deps.federation.createContext(new URL(deps.config.origin), { db: deps.db, config: deps.config }).getActorUri(tagActor.handle).href;
    return c.html(
      blogPage(blog, {
        title: `#${tag}`,
        activity: actorUrl,
        feeds: feedPaths(`/tags/${encodeURIComponent(tag)}/feed`),
        main: html`<h1>${blog.t.tagTitle(tag)}</h1>${tagActor === undefined ? "" : tagHandle(blog, `@${tagActor.handle}@${new URL(deps.config.origin).host}`)}${rows.length === 0 ? html`<p class="hint">${blog.t.notFound}</p><p><a class="button" href="/">${blog.t.backHome}</a></p>` : ""}${await articles(blog, rows)}${pager}`,
      }),
      rows.length === 0 ? 404 : 200,
    );
  });

  // Shaarli's daily page: one day's posts, with the days before and after that have any.
  routes.get("/daily", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.notFound();
    const requested = parseDay(c.req.query("day"));
    const day = requested ?? startOfDay((await nearestPostDate(deps.db, visibilities(blog), new Date("9999-12-31T00:00:00Z"), "before")) ?? new Date());
    const next = new Date(day.getTime() + 86_400_000);
    const posts = await listPostsBetween(deps.db, visibilities(blog), day, next);
    const previousDate = await nearestPostDate(deps.db, visibilities(blog), day, "before");
    const nextDate = await nearestPostDate(deps.db, visibilities(blog), next, "after");
    const dayLink = (date: Date | null, label: string, rel: string) =>
      date === null ? html`<span></span>` : html`<a href="/daily?day=${formatDay(startOfDay(date))}" rel="${rel}">${label}</a>`;
    return c.html(
      blogPage(blog, {
        title: blog.t.dailyTitle(formatDate(day, blog.locale)),
        main: html`<h1>${blog.t.dailyTitle(formatDate(day, blog.locale))}</h1>
${posts.length === 0 ? html`<p class="hint">${blog.t.noPostsThatDay}</p>` : await articles(blog, posts)}
<nav class="pager">${dayLink(previousDate, `← ${blog.t.previousDay}`, "prev")}${dayLink(nextDate, `${blog.t.nextDay} →`, "next")}</nav>`,
      }),
    );
  });

  // Remote interaction: the reader's server, found by WebFinger, opens the post or the profile.
  routes.get("/interact", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.notFound();
    const uri = c.req.query("uri") ?? "";
    // A handle (@you@server) or, as some servers show it, a profile address.
    const handle = (c.req.query("handle") ?? "").trim().replace(/^@/, "");
    const resource = /^https?:\/\//.test(handle) && URL.canParse(handle) ? handle : `acct:${handle}`;
    const help = (problem: string, status: 400 | 404) =>
      c.html(
        blogPage(blog, {
          title: blog.t.interactTitle,
          main: html`<h1>${blog.t.interactTitle}</h1><p class="error" role="alert">${problem}</p>
<p>${blog.t.interactPaste} <code>${uri}</code></p>${interactForm(blog, uri, blog.t.tryAnother)}`,
        }),
        status,
      );
    const validHandle = resource !== `acct:${handle}` || /^[^@\s/]+@[^@\s/]+$/.test(handle);
    if (!validHandle || !uri.startsWith(`${deps.config.origin}/`)) return help(blog.t.interactBadHandle, 400);
    const ctx = deps.federation.createContext(new URL(deps.config.origin), { db: deps.db, config: deps.config });
    const jrd = await ctx.lookupWebFinger(resource).catch(() => null);
    const template = jrd?.links?.find((link) => link.rel === "http://ostatus.org/schema/1.0/subscribe")?.template;
    if (template === undefined || !/^https?:\/\//.test(template)) return help(blog.t.interactNoTemplate, 404);
    return c.redirect(template.replace("{uri}", encodeURIComponent(uri)), 303);
  });

  routes.get("/opensearch.xml", async (c) => {
    const blog = await blogContext(deps, c);
    if (blog === null) return c.notFound();
    const title = blog.account.display_name || blog.account.username;
    const name = xmlText(title);
    const origin = xmlAttribute(deps.config.origin);
    return c.body(
      `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
<ShortName>${xmlText(title.slice(0, 16))}</ShortName>
<Description>${name}</Description>
<InputEncoding>UTF-8</InputEncoding>
<Url type="text/html" template="${origin}/search?q={searchTerms}"/>
<Url type="application/atom+xml" template="${origin}/search/feed.atom?q={searchTerms}"/>
</OpenSearchDescription>`,
      200,
      { "Content-Type": "application/opensearchdescription+xml; charset=utf-8" },
    );
  });

  return routes;
}

/** OpenGraph and Twitter card metadata, for link cards of the blog's own pages. */
function openGraph(
  blog: BlogContext,
  page: { title: string; description: string; url: string; image: string | null | undefined; article?: PostRow },
) {
  const description = page.description.length > 300 ? `${page.description.slice(0, 299)}…` : page.description;
  return html`<meta name="description" content="${description}">
<meta property="og:type" content="${page.article ? "article" : "website"}">
<meta property="og:site_name" content="${blog.account.display_name || blog.account.username}">
<meta property="og:title" content="${page.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${page.url}">
<meta property="og:locale" content="${page.article?.language ?? blog.account.language}">
${page.image ? html`<meta property="og:image" content="${page.image}">` : ""}
${page.article ? html`<meta property="article:published_time" content="${page.article.published_at.toISOString()}">${page.article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">`)}` : ""}
<meta name="twitter:card" content="${page.image ? "summary_large_image" : "summary"}">
<meta name="twitter:title" content="${page.title}">
<meta name="twitter:description" content="${description}">`;
}

function parseDay(text: string | undefined): Date | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text ?? "");
  if (match === null) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? null : date;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
