// The shell of every admin page: admin.css, the page's language, and one navigation for all.
import { html } from "hono/html";
import { adminMessages, type AdminMessages } from "../admin-i18n.ts";
import type { Locale } from "../i18n.ts";
import { CSRF_FIELD } from "../security.ts";
import { staticUrl } from "../static-files.ts";
import { page, type Html } from "./layout.ts";

export type AdminSection =
  | "dashboard"
  | "new"
  | "notifications"
  | "followers"
  | "quotes"
  | "blocks"
  | "tags"
  | "links"
  | "moving"
  | "settings"
  | "none";

export interface AdminPageOptions {
  readonly locale: Locale;
  readonly csrf: string;
  readonly title: string;
  /** The navigation entry to mark as current. */
  readonly section: AdminSection;
  readonly body: Html;
  readonly head?: Html;
  /** Counts shown beside Notifications and Followers. */
  readonly badges?: { readonly unread?: number; readonly pending?: number };
  /** A small window (the bookmarklet's): no navigation, the actions kept in view. */
  readonly popup?: boolean;
  /** Pages for visitors (login, setup): no navigation. */
  readonly signedOut?: boolean;
  readonly mainClass?: string;
}

export const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

export const errorBox = (error: string | undefined) => (error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : "");
export const noticeBox = (notice: string | undefined) => (notice ? html`<p class="notice" role="status">${notice}</p>` : "");

const ENTRIES: readonly [AdminSection, string, (t: AdminMessages) => string][] = [
  ["dashboard", "/admin", (t) => t.dashboard],
  ["new", "/admin/posts/new", (t) => t.newPost],
  ["notifications", "/admin/notifications", (t) => t.notifications],
  ["followers", "/admin/followers", (t) => t.followers],
  ["quotes", "/admin/quotes", (t) => t.quotes],
  ["blocks", "/admin/blocks", (t) => t.blocks],
  ["tags", "/admin/tags", (t) => t.tags],
  ["links", "/admin/links/health", (t) => t.linkHealth],
  ["moving", "/admin/moving", (t) => t.moving],
  ["settings", "/admin/settings", (t) => t.settings],
];

function adminNav(options: AdminPageOptions, t: AdminMessages): Html {
  const badge = (section: AdminSection) => {
    if (section === "notifications" && (options.badges?.unread ?? 0) > 0) {
      return html` <span class="badge" aria-label="${options.badges!.unread} ${t.unread}">${options.badges!.unread}</span>`;
    }
    if (section === "followers" && (options.badges?.pending ?? 0) > 0) {
      return html` <span class="badge" aria-label="${options.badges!.pending} ${t.waiting}">${options.badges!.pending}</span>`;
    }
    return "";
  };
  return html`<header class="admin-bar">
<nav class="admin-nav" aria-label="${t.nav}"><ul>
${ENTRIES.map(
  ([section, href, label]) =>
    html`<li><a href="${href}"${section === options.section ? html` aria-current="page"` : ""}${section === "new" ? html` class="new-post"` : ""}>${label(t)}${badge(section)}</a></li>`,
)}
</ul></nav>
<div class="admin-bar-end"><a href="/">${t.blog}</a>
<form method="post" action="/admin/logout">${csrfInput(options.csrf)}<button type="submit" class="link">${t.logOut}</button></form></div>
</header>`;
}

export function adminPage(options: AdminPageOptions): Html {
  const t = adminMessages(options.locale);
  const chrome = options.popup || options.signedOut ? "" : adminNav(options, t);
  return page({
    title: `${options.title} · Glose`,
    lang: options.locale,
    head: html`<link rel="stylesheet" href="${staticUrl("admin.css")}">${options.head ?? ""}`,
    body: html`<div class="admin${options.popup ? " popup" : ""}">${chrome}
<main class="${options.mainClass ?? ""}">
${options.body}
</main></div>`,
  });
}
