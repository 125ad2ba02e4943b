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
<nav aria-label="${t.home}"><a href="/tags">${t.tags}</a><a href="/daily">${t.daily}</a><a class="search-link" href="/search">${t.search}</a><a href="/feed.atom">${t.feeds}</a>${
      blog.owner ? html`<a href="/admin/posts/new">${t.newPost}</a><a href="/admin">${t.admin}</a>` : ""
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
