// The blog's page shell: header with the owner, navigation, search, feeds, and the head
// metadata that feed readers, browsers and Mastodon look for.
import { html, raw } from "hono/html";
import type { AccountRow } from "../../data/account.ts";
import type { Messages } from "../i18n.ts";
import { page, type Html } from "./layout.ts";
import { staticUrl } from "../static-files.ts";
import { variantUrl } from "../../content/media-names.ts";

export interface BlogContext {
  readonly t: Messages;
  readonly locale: string;
  readonly account: AccountRow;
  readonly origin: string;
  readonly owner: boolean;
  /** The handle, @name@host. */
  readonly handle: string;
  /** The owner's actor id. */
  readonly actor: string;
}

export interface BlogPageOptions {
  readonly title: string;
  readonly head?: Html;
  /** The ActivityPub document behind this page; the actor by default, so that a search for any
   * of the blog's addresses finds the account. */
  readonly activity?: string;
  readonly main: Html;
  /** The feeds mirroring this page, for autodiscovery; the whole blog's by default. */
  readonly feeds?: { readonly atom: string; readonly rss: string };
  readonly query?: string;
}

export function blogPage(blog: BlogContext, options: BlogPageOptions): Html {
  const { t, account } = blog;
  const name = account.display_name || account.username;
  const feeds = options.feeds ?? { atom: "/feed.atom", rss: "/feed.rss" };
  return page({
    title: options.title === name ? name : `${options.title} · ${name}`,
    lang: blog.locale,
    activity: options.activity ?? blog.actor,
    head: html`<link rel="alternate" type="application/atom+xml" title="${name} (Atom)" href="${feeds.atom}">
<link rel="alternate" type="application/rss+xml" title="${name} (RSS)" href="${feeds.rss}">
<link rel="search" type="application/opensearchdescription+xml" title="${name}" href="/opensearch.xml">
<link rel="me" href="${blog.origin}/">
<meta name="fediverse:creator" content="${blog.handle}">
<script src="${staticUrl("blog.js")}" defer></script>
${icons(account.avatar_url)}
${options.head ?? ""}`,
    body: html`<a class="skip" href="#main">${raw("&#8595;")}</a>
<header class="site-header"><div class="bar">
<a class="site-name" href="/">${account.avatar_url ? html`<img class="avatar small" src="${variantUrl(account.avatar_url, "s32.webp")}" srcset="${variantUrl(account.avatar_url, "s64.webp")} 2x" alt="" width="28" height="28">` : ""}<span>${name}</span></a>
<nav aria-label="${t.home}">${navLink("/tags", t.tags, "tags")}${navLink("/daily", t.daily, "daily")}${navLink("/search", t.search, "search", "search-link")}${navLink("/feed.atom", t.feeds, "feeds")}${
      blog.owner ? html`${navLink("/admin/posts/new", t.newPost, "newPost")}${navLink("/admin", t.admin, "admin")}` : ""
    }</nav>
<form class="search" role="search" method="get" action="/search"><input name="q" type="search" aria-label="${t.search}" placeholder="${t.searchPlaceholder}" value="${options.query ?? ""}"><button type="submit">${t.search}</button></form>
</div></header>
<main id="main">${options.main}</main>`,
  });
}

/** The avatar as the page's icon, or Glose's own. */
function icons(avatar: string | null): Html {
  const [icon, touch] = avatar ? [variantUrl(avatar, "s32.png"), variantUrl(avatar, "s180.png")] : [staticUrl("glose-icon-32.png"), staticUrl("glose-icon-180.png")];
  return html`<link rel="icon" type="image/png" sizes="32x32" href="${icon}">
<link rel="apple-touch-icon" href="${touch}">`;
}

// Line icons (24-unit grid) that stand for the navigation's words on a phone, where the header
// keeps to one line; the words stay there for screen readers.
const ICONS = {
  tags: "M5 9h15M4 15h15M10 4 8 20M16 4l-2 16",
  daily: "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5",
  search: "M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 1 0 0-13zM15.5 15.5 20 20",
  feeds: "M5 11a8 8 0 0 1 8 8M5 5a14 14 0 0 1 14 14M6 17.5h.01",
  newPost: "M12 5v14M5 12h14",
  admin: "M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4",
} as const;

function navLink(href: string, label: string, icon: keyof typeof ICONS, className?: string): Html {
  return html`<a${className ? raw(` class="${className}"`) : ""} href="${href}"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${ICONS[icon]}"/></svg><span class="label">${label}</span></a>`;
}

/** The owner's profile, at the top of the home page: compact, so that a phone's first screen
 * also shows the first post; following and the profile's fields open on demand. */
export function profileHeader(blog: BlogContext, actorUrl: string): Html {
  const { t, account } = blog;
  return html`<section class="profile h-card${account.header_url ? " with-banner" : ""}" aria-labelledby="profile-name">
${account.header_url ? html`<img class="profile-banner" src="${variantUrl(account.header_url, "w700.webp")}" srcset="${variantUrl(account.header_url, "w700.webp")} 700w, ${variantUrl(account.header_url, "w1500.webp")} 1500w" sizes="(max-width: 46rem) 100vw, 44rem" alt="">` : ""}
<div class="profile-id">
${account.avatar_url ? html`<img class="avatar large u-photo" src="${variantUrl(account.avatar_url, "s96.webp")}" srcset="${variantUrl(account.avatar_url, "s192.webp")} 2x" alt="" width="80" height="80">` : ""}
<div><h1 class="p-name" id="profile-name">${account.display_name || account.username}</h1>
<p class="handle"><code id="handle">${blog.handle}</code> <button type="button" class="secondary small copy" data-copy="${blog.handle}" data-copied="${t.copied}" hidden>${t.copy}</button></p></div>
</div>
${account.summary ? html`<div class="p-note">${account.summary.split(/\n\s*\n/).map((paragraph) => html`<p>${paragraph}</p>`)}</div>` : ""}
<details class="profile-more"><summary>${t.followOrMore}</summary>
${account.fields.length > 0 ? html`<dl class="fields">${account.fields.map((field) => html`<dt>${field.name}</dt><dd>${/^https?:\/\//.test(field.value) ? html`<a href="${field.value}" rel="me nofollow noopener">${field.value}</a>` : field.value}</dd>`)}</dl>` : ""}
${interactForm(blog, actorUrl, t.followFromServer, "follow-handle")}
${account.tag_actors ? html`<p class="hint"><a href="/tags">${t.tagsFollowable}</a></p>` : ""}
</details>
</section>`;
}

/** A tag actor's handle, to paste into Mastodon's search, as the home page shows the owner's. */
export function tagHandle(blog: BlogContext, handle: string): Html {
  const { t } = blog;
  return html`<p class="handle">${t.followTag} <code>${handle}</code> <button type="button" class="secondary small copy" data-copy="${handle}" data-copied="${t.copied}" hidden>${t.copy}</button></p>`;
}

/** Sends the reader to their own server, with the post or the profile loaded. */
export function interactForm(blog: BlogContext, uri: string, label: string, id = "interact-handle"): Html {
  const { t } = blog;
  return html`<form class="interact" method="get" action="/interact">
<input type="hidden" name="uri" value="${uri}">
<label for="${id}">${label}</label>
<div class="row"><input id="${id}" name="handle" placeholder="${t.yourHandle}" autocomplete="username" required><button type="submit">${t.go}</button></div>
<p class="hint">${t.orPaste(uri)}</p>
</form>`;
}
