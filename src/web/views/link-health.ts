import { html } from "hono/html";
import type { LinkStatus } from "../../../db/schema.ts";
import { waybackUrl } from "../../content/archive-links.ts";
import type { LinkCheckListing } from "../../data/link-checks.ts";
import { CSRF_FIELD } from "../security.ts";
import type { Html } from "./layout.ts";
import { adminPage } from "./admin-layout.ts";
import type { Locale } from "../i18n.ts";

export interface LinkHealthPageOptions {
  readonly csrf: string;
  readonly locale: Locale;
  readonly counts: Record<LinkStatus, number>;
  readonly lists: Partial<Record<LinkStatus, readonly LinkCheckListing[]>>;
  readonly notice?: string;
  readonly error?: string;
}

type Section = { status: LinkStatus; heading: string; hint: string };

const TEXT = {
  en: {
    sections: [
      { status: "dead", heading: "Dead", hint: "404 or 410, a name gone from DNS, or failing for a week." },
      { status: "moved", heading: "Moved", hint: "They redirect for good to another address." },
      { status: "failing", heading: "Failing", hint: "Errors for less than a week: checked again every day." },
      { status: "refused", heading: "Not checked", hint: "On a private address, which Glose does not contact." },
      { status: "unchecked", heading: "Waiting for a first check", hint: "" },
      { status: "healthy", heading: "Healthy", hint: "" },
    ] as Section[],
    title: "Link health",
    intro: "Each post's link is checked about once a week, one request per site at a time.",
    counts: { dead: "dead", moved: "moved", healthy: "healthy", failing: "failing", unchecked: "waiting" },
    checkAll: "Check all links soon",
    archiveAll: "Add archive links to all dead links",
    updateAll: "Update all moved links",
    never: "never",
    checked: "checked",
    lastAlive: "last alive",
    failures: (n: number) => `${n} failures`,
    update: "Update link",
    archived: "Archive link added",
    archive: "Add archive link",
    checkNow: "Check now",
  },
  fr: {
    sections: [
      { status: "dead", heading: "Morts", hint: "404 ou 410, un nom disparu du DNS, ou en échec depuis une semaine." },
      { status: "moved", heading: "Déplacés", hint: "Ils redirigent pour de bon vers une autre adresse." },
      { status: "failing", heading: "En échec", hint: "Des erreurs depuis moins d’une semaine : vérifiés à nouveau chaque jour." },
      { status: "refused", heading: "Non vérifiés", hint: "Sur une adresse privée, que Glose ne contacte pas." },
      { status: "unchecked", heading: "En attente d’une première vérification", hint: "" },
      { status: "healthy", heading: "En bonne santé", hint: "" },
    ] as Section[],
    title: "Liens morts",
    intro: "Chaque lien publié est vérifié environ une fois par semaine, une requête par site à la fois.",
    counts: { dead: "morts", moved: "déplacés", healthy: "en bonne santé", failing: "en échec", unchecked: "en attente" },
    checkAll: "Tout vérifier bientôt",
    archiveAll: "Ajouter un lien d’archive à tous les liens morts",
    updateAll: "Mettre à jour tous les liens déplacés",
    never: "jamais",
    checked: "vérifié",
    lastAlive: "dernière réponse",
    failures: (n: number) => `${n} échecs`,
    update: "Mettre à jour le lien",
    archived: "Lien d’archive ajouté",
    archive: "Ajouter un lien d’archive",
    checkNow: "Vérifier maintenant",
  },
} satisfies Record<Locale, unknown>;

type Text = (typeof TEXT)["en"];


const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

function action(csrf: string, path: string, label: string, postId?: string): Html {
  return html`<form method="post" action="/admin/links/health/${path}" class="inline">${csrfInput(csrf)}${postId === undefined ? "" : html`<input type="hidden" name="post" value="${postId}">`}<button type="submit" class="link">${label}</button></form>`;
}

function when(t: Text, date: Date | null): string {
  return date === null ? t.never : date.toISOString().slice(0, 16).replace("T", " ");
}

function linkLine(t: Text, csrf: string, row: LinkCheckListing): Html {
  const archive = waybackUrl(row.url, row.published_at);
  const archived = row.comment.includes(archive);
  const answer = row.http_status !== null ? `HTTP ${row.http_status}` : (row.error ?? "");
  return html`<li><a href="/p/${row.post_id}">${row.title}</a> <a class="hint" href="${row.url}" rel="nofollow noopener noreferrer">${row.url}</a>
<span class="hint">${answer}${answer === "" ? "" : " · "}${t.checked} ${when(t, row.last_checked_at)} · ${t.lastAlive} ${when(t, row.last_alive_at)}${row.consecutive_failures > 0 ? ` · ${t.failures(row.consecutive_failures)}` : ""}</span>
${row.status === "moved" && row.final_url !== null ? html`<span>→ <a href="${row.final_url}" rel="nofollow noopener noreferrer">${row.final_url}</a></span> ${action(csrf, "update", t.update, row.post_id)}` : ""}
${row.status === "dead" ? (archived ? html`<span class="hint">${t.archived}</span>` : action(csrf, "archive", t.archive, row.post_id)) : ""}
${action(csrf, "check", t.checkNow, row.post_id)}</li>`;
}

export function linkHealthPage(options: LinkHealthPageOptions): Html {
  const { counts, csrf } = options;
  const t = TEXT[options.locale];
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "links",
    title: t.title,
    body: html`<h1>${t.title}</h1>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<p>${t.intro}</p>
<ul class="link-counts">
<li><strong data-count="dead">${counts.dead}</strong> ${t.counts.dead}</li>
<li><strong data-count="moved">${counts.moved}</strong> ${t.counts.moved}</li>
<li><strong data-count="healthy">${counts.healthy}</strong> ${t.counts.healthy}</li>
<li><strong data-count="failing">${counts.failing}</strong> ${t.counts.failing}</li>
<li><strong data-count="unchecked">${counts.unchecked}</strong> ${t.counts.unchecked}</li>
</ul>
<p>${action(csrf, "check-all", t.checkAll)}
${counts.dead > 0 ? action(csrf, "archive-all", t.archiveAll) : ""}
${counts.moved > 0 ? action(csrf, "update-all", t.updateAll) : ""}</p>
${t.sections.map(({ status, heading, hint }) => {
  const rows = options.lists[status] ?? [];
  if (rows.length === 0) return "";
  const list = html`<h2 id="${status}">${heading} (${counts[status]})</h2>${hint === "" ? "" : html`<p class="hint">${hint}</p>`}<ul class="post-list">${rows.map((row) => linkLine(t, csrf, row))}</ul>`;
  return status === "healthy" ? html`<details><summary>${heading} (${counts[status]})</summary><ul class="post-list">${rows.map((row) => linkLine(t, csrf, row))}</ul></details>` : list;
})}
`,
  });
}
