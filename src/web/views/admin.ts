import { html, raw } from "hono/html";
import type { Visibility } from "../../../db/schema.ts";
import type { PostRow } from "../../data/posts.ts";
import { adminMessages } from "../admin-i18n.ts";
import type { Locale } from "../i18n.ts";
import { adminPage, csrfInput, errorBox, noticeBox } from "./admin-layout.ts";
import { languageSelect } from "./languages.ts";
import type { Html } from "./layout.ts";
import { queueSection, type QueueSummary } from "./deliveries.ts";
import { formatDate } from "./post.ts";

const SETUP_TEXT = {
  en: {
    title: "Set up Glose",
    welcome: "Welcome to Glose",
    intro: "Choose the handle people will follow from Mastodon and the password of this admin page.",
    handle: "Handle",
    handleHint: "Letters, digits and underscores. It cannot be changed later.",
    password: "Admin password",
    language: "Language of your posts",
    languageHint: "Each post can say otherwise; posts from Shaarli apps get the language their text is written in.",
    create: "Create the account",
    errors: {
      "invalid-username": "Handle: it may hold letters, digits and underscores (dots and dashes between them), 64 characters at most.",
      "weak-password": "Admin password: at least 8 characters.",
      "invalid-language": "Language of your posts: choose one in the list.",
    },
  },
  fr: {
    title: "Installer Glose",
    welcome: "Bienvenue dans Glose",
    intro: "Choisissez l’identifiant que l’on suivra depuis Mastodon, et le mot de passe de cette administration.",
    handle: "Identifiant",
    handleHint: "Lettres, chiffres et tirets bas. Il ne pourra plus être changé.",
    password: "Mot de passe de l’administration",
    language: "Langue de vos liens",
    languageHint: "Chaque lien peut en choisir une autre ; ceux des applications Shaarli prennent la langue de leur texte.",
    create: "Créer le compte",
    errors: {
      "invalid-username": "Identifiant : lettres, chiffres et tirets bas (points et traits d’union entre eux), 64 caractères au plus.",
      "weak-password": "Mot de passe : 8 caractères au moins.",
      "invalid-language": "Langue de vos liens : choisissez-en une dans la liste.",
    },
  },
} satisfies Record<Locale, unknown>;

export type SetupError = keyof (typeof SETUP_TEXT)["en"]["errors"];

export function setupPage(options: { csrf: string; locale: Locale; host: string; language: string; username?: string; error?: SetupError }): Html {
  const t = SETUP_TEXT[options.locale];
  const invalid = (field: SetupError) => (options.error === field ? raw(' aria-invalid="true" aria-describedby="form-error"') : "");
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: t.title,
    section: "none",
    signedOut: true,
    mainClass: "narrow",
    body: html`<h1>${t.welcome}</h1>
<p>${t.intro}</p>
${errorBox(options.error === undefined ? undefined : t.errors[options.error])}
<form method="post" action="/admin/setup">
${csrfInput(options.csrf)}
<label for="username">${t.handle}</label>
<div class="handle-input"><span>@</span><input id="username" name="username" required pattern="[A-Za-z0-9_]+([.\\-]+[A-Za-z0-9_]+)*" maxlength="64" autocomplete="username" value="${options.username ?? ""}"${invalid("invalid-username")}><span>@${options.host}</span></div>
<p class="hint">${t.handleHint}</p>
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" required minlength="8" autocomplete="new-password"${invalid("weak-password")}>
<label for="language">${t.language}</label>
${languageSelect("language", options.language)}
<p class="hint">${t.languageHint}</p>
<button type="submit">${t.create}</button>
</form>`,
  });
}

export function loginPage(options: {
  csrf: string;
  locale: Locale;
  error?: string;
  notice?: string;
  next?: string;
  /** An editor's draft, carried in hidden fields to come back after the login. */
  draft?: Readonly<Record<string, string>>;
}): Html {
  const t = adminMessages(options.locale);
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: t.logIn,
    section: "none",
    signedOut: true,
    mainClass: "narrow",
    body: html`<h1>${t.logIn}</h1>
${errorBox(options.error)}
${noticeBox(options.notice)}
<form method="post" action="/admin/login">
${csrfInput(options.csrf)}
<input type="hidden" name="next" value="${options.next ?? "/admin"}">
${Object.entries(options.draft ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" required autocomplete="current-password" autofocus>
<button type="submit">${t.logIn}</button>
</form>`,
  });
}

/** The dashboard's filters, as read from its query parameters. */
export interface DashboardFilters {
  readonly q: string;
  readonly visibility: Visibility | null;
  readonly tag: string | null;
  readonly withReplies: boolean;
  readonly page: number;
}

export function dashboardQuery(filters: DashboardFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.visibility) params.set("visibility", filters.visibility);
  if (filters.tag) params.set("tag", filters.tag);
  if (filters.withReplies) params.set("replies", "1");
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query === "" ? "/admin" : `/admin?${query}`;
}

export function adminHomePage(options: {
  csrf: string;
  locale: Locale;
  handle: string;
  actorUrl: string;
  followers: number;
  apiSecretFromEnvironment: boolean;
  posts: readonly PostRow[];
  total: number;
  pages: number;
  filters: DashboardFilters;
  tags: readonly string[];
  origin: string;
  unread: number;
  pending: number;
  queue: QueueSummary;
  notice?: string;
  error?: string;
  /** Posts deleted within the undo window, each with its Undo button. */
  recentlyDeleted: readonly PostRow[];
  /** The API secret, only when the owner asked to see it. */
  apiSecret?: string;
}): Html {
  const t = adminMessages(options.locale);
  const { filters } = options;
  const filtering = filters.q !== "" || filters.visibility !== null || filters.tag !== null || filters.withReplies;
  const bookmarklet =
    "javascript:(function(){var u=location.href,t=document.title,s=String(getSelection());" +
    `window.open(${JSON.stringify(`${options.origin}/admin/share?post=`)}+encodeURIComponent(u)+'&title='+encodeURIComponent(t)+'&description='+encodeURIComponent(s)+'&source=bookmarklet','glose','width=600,height=560');})();`;
  const visibilities: Visibility[] = ["public", "unlisted", "followers", "private"];
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    title: t.adminTitle,
    section: "dashboard",
    badges: { unread: options.unread, pending: options.pending },
    body: html`<h1>${t.dashboard}</h1>
${errorBox(options.error)}
${noticeBox(options.notice)}
${options.recentlyDeleted.map(
  (post) => html`<div class="notice undo" role="status"><form method="post" action="/admin/posts/${post.id}/undo">
${csrfInput(options.csrf)}${t.deletedPost(post.title || post.url || post.id)} — <button type="submit" class="secondary">${t.undo}</button>
</form></div>`,
)}
<form method="get" action="/admin" class="filters" role="search">
<div class="filter-search"><label for="q">${t.search}</label>
<input id="q" name="q" type="search" value="${filters.q}" placeholder="${t.searchPlaceholder}"></div>
<div><label for="visibility">${t.visibility}</label>
<select id="visibility" name="visibility"><option value="">${t.anyVisibility}</option>${visibilities.map(
  (v) => html`<option value="${v}"${filters.visibility === v ? raw(" selected") : ""}>${t.visibilityShort[v]}</option>`,
)}</select></div>
<div><label for="tag">${t.tag}</label>
<select id="tag" name="tag"><option value="">${t.anyTag}</option>${options.tags.map(
  (tag) => html`<option value="${tag}"${filters.tag === tag ? raw(" selected") : ""}>#${tag}</option>`,
)}</select></div>
<label class="choice"><input type="checkbox" name="replies" value="1"${filters.withReplies ? raw(" checked") : ""}> ${t.withReplies}</label>
<div class="filter-actions"><button type="submit">${t.filter}</button>${filtering ? html` <a href="/admin">${t.clearFilters}</a>` : ""}</div>
</form>
<p class="hint" role="status">${t.postsFound(options.total)}${options.pages > 1 ? html` · ${t.page(filters.page, options.pages)}` : ""}</p>
${options.posts.length === 0
  ? html`<p class="hint">${filtering ? t.noMatch : t.noPost}</p>`
  : html`<ul class="admin-posts">${options.posts.map(
      (post) => html`<li><a class="post-edit" href="/admin/posts/${post.id}/edit">${post.title || post.url}</a>
<span class="hint">${formatDate(post.published_at, options.locale)}${post.visibility === "public" ? "" : ` · ${t.visibilityShort[post.visibility]}`}${post.tags.length > 0 ? ` · ${post.tags.map((tag) => `#${tag}`).join(" ")}` : ""}</span>
<span class="post-links"><a href="/p/${post.id}">${t.view}</a> <a href="/admin/posts/${post.id}/deliveries">${t.deliveries}</a></span></li>`,
    )}</ul>`}
${options.pages > 1
  ? html`<nav class="pager" aria-label="${t.page(filters.page, options.pages)}">
${filters.page > 1 ? html`<a rel="prev" href="${dashboardQuery(filters, filters.page - 1)}">← ${t.previous}</a>` : ""}
${filters.page < options.pages ? html`<a rel="next" href="${dashboardQuery(filters, filters.page + 1)}">${t.next} →</a>` : ""}
</nav>`
  : ""}
${queueSection(options.queue, options.locale)}
<section>
<h2>${t.bookmarklet}</h2>
<p>${t.bookmarkletHelp} <a class="bookmarklet" href="${bookmarklet}">${t.bookmarkletLabel}</a></p>
</section>
<section>
<h2>${t.account}</h2>
<p>${t.followMe(options.handle)}</p>
<p>${t.followerCount} <strong>${options.followers}</strong></p>
<p class="hint">${t.actor} <code>${options.actorUrl}</code></p>
</section>
<section id="api">
<h2>${t.api}</h2>
<p>${t.apiSecretHelp(options.apiSecretFromEnvironment)}</p>
${options.apiSecret === undefined
  ? html`<p><a class="show-secret" href="/admin?secret=show#api">${t.showSecret}</a></p>`
  : html`<p><code class="secret">${options.apiSecret}</code> <a href="/admin#api">${t.hideSecret}</a></p>`}
</section>`,
  });
}
