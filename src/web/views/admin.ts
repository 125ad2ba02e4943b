import { html } from "hono/html";
import type { PostRow } from "../../data/posts.ts";
import { CSRF_FIELD } from "../security.ts";
import { languageSelect } from "./languages.ts";
import { page, type Html } from "./layout.ts";
import { queueSection, type QueueSummary } from "./deliveries.ts";
import { formatDate } from "./post.ts";

const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

const errorBox = (error: string | undefined) => (error ? html`<p class="error" role="alert">${error}</p>` : "");

export function setupPage(options: { csrf: string; host: string; language: string; username?: string; error?: string }): Html {
  return page({
    title: "Set up Glose",
    body: html`<main class="narrow">
<h1>Welcome to Glose</h1>
<p>Choose the handle people will follow from Mastodon and the password of this admin page.</p>
${errorBox(options.error)}
<form method="post" action="/admin/setup">
${csrfInput(options.csrf)}
<label for="username">Handle</label>
<div class="handle-input"><span>@</span><input id="username" name="username" required pattern="[A-Za-z0-9_]+([.\\-]+[A-Za-z0-9_]+)*" maxlength="64" autocomplete="username" value="${options.username ?? ""}"><span>@${options.host}</span></div>
<p class="hint">Letters, digits and underscores. It cannot be changed later.</p>
<label for="password">Admin password</label>
<input id="password" name="password" type="password" required minlength="8" autocomplete="new-password">
<label for="language">Language of your posts</label>
${languageSelect("language", options.language)}
<p class="hint">Each post can say otherwise; posts from Shaarli apps get the language their text is written in.</p>
<button type="submit">Create the account</button>
</form>
</main>`,
  });
}

export function loginPage(options: { csrf: string; error?: string; next?: string }): Html {
  return page({
    title: "Log in · Glose",
    body: html`<main class="narrow">
<h1>Log in</h1>
${errorBox(options.error)}
<form method="post" action="/admin/login">
${csrfInput(options.csrf)}
<input type="hidden" name="next" value="${options.next ?? "/admin"}">
<label for="password">Password</label>
<input id="password" name="password" type="password" required autocomplete="current-password" autofocus>
<button type="submit">Log in</button>
</form>
</main>`,
  });
}

export function adminHomePage(options: {
  csrf: string;
  handle: string;
  actorUrl: string;
  followers: number;
  apiSecret: string;
  apiSecretFromEnvironment: boolean;
  posts: readonly PostRow[];
  origin: string;
  unread: number;
  pending: number;
  queue: QueueSummary;
  notice?: string;
}): Html {
  const bookmarklet =
    "javascript:(function(){var u=location.href,t=document.title,s=String(getSelection());" +
    `window.open(${JSON.stringify(`${options.origin}/admin/share?post=`)}+encodeURIComponent(u)+'&title='+encodeURIComponent(t)+'&description='+encodeURIComponent(s)+'&source=bookmarklet','glose','width=760,height=820');})();`;
  return page({
    title: "Admin · Glose",
    body: html`<main>
<header class="admin-header"><h1>Glose</h1>
<form method="post" action="/admin/logout">${csrfInput(options.csrf)}<button type="submit" class="link">Log out</button></form>
</header>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
<nav class="admin-nav"><a href="/admin/posts/new" class="button">New post</a> <a href="/">Blog</a>
<a href="/admin/notifications">Notifications${options.unread > 0 ? html` <span class="badge" aria-label="unread">${options.unread}</span>` : ""}</a>
<a href="/admin/followers">Followers${options.pending > 0 ? html` <span class="badge" aria-label="waiting">${options.pending}</span>` : ""}</a>
<a href="/admin/quotes">Quotes</a>
<a href="/admin/blocks">Blocks</a> <a href="/admin/settings">Profile and settings</a> <a href="/admin/tags">Followable tags</a> <a href="/admin/moving">Import, export, backup</a>
<a href="/admin/links/health">Link health</a></nav>
<section>
<h2>Posts</h2>
${options.posts.length === 0
  ? html`<p class="hint">No post yet.</p>`
  : html`<ul class="post-list">${options.posts.map(
      (post) => html`<li><a href="/admin/posts/${post.id}/edit">${post.title}</a> <span class="hint">${formatDate(post.published_at, post.language)}${post.visibility === "public" ? "" : ` · ${post.visibility}`}</span> <a class="hint" href="/admin/posts/${post.id}/deliveries">deliveries</a></li>`,
    )}</ul>`}
</section>
${queueSection(options.queue)}
<section>
<h2>Bookmarklet</h2>
<p>Drag this link to your bookmarks bar, then click it on any page to post it: <a class="bookmarklet" href="${bookmarklet}">Post to Glose</a></p>
</section>
<section>
<h2>Your fediverse account</h2>
<p>Mastodon users find and follow you as <strong class="handle">${options.handle}</strong>.</p>
<p>Followers: <strong>${options.followers}</strong></p>
<p class="hint">Actor: <code>${options.actorUrl}</code></p>
</section>
<section>
<h2>Shaarli API</h2>
<p>Shaarli apps sign their requests with this secret${options.apiSecretFromEnvironment ? " (set by API_SECRET)" : ""}:</p>
<p><code class="secret">${options.apiSecret}</code></p>
</section>
</main>`,
  });
}
