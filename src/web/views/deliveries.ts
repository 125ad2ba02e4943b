// The owner's view of where a post went, and the dashboard's summary of the delivery queue.
import { html } from "hono/html";
import type { DeliveryStatus } from "../../../db/schema.ts";
import type { DeliveryRow } from "../../data/deliveries.ts";
import type { PostRow } from "../../data/posts.ts";
import type { HeldServer } from "../../federation/circuit-state.ts";
import { CSRF_FIELD } from "../security.ts";
import type { Html } from "./layout.ts";
import { adminPage } from "./admin-layout.ts";
import type { Locale } from "../i18n.ts";

type Section = { status: DeliveryStatus; title: string; hint: string };

const TEXT = {
  en: {
    sections: [
      { status: "failed", title: "Failed", hint: "Given up after every retry. Retry sends the post to that server again." },
      { status: "pending", title: "Pending", hint: "Queued, or waiting for a retry after an error." },
      { status: "gone", title: "Gone", hint: "The server answered that the inbox no longer exists; its followers were removed." },
      { status: "sent", title: "Sent", hint: "The server has the post." },
    ] as Section[],
    title: (post: string) => `Deliveries of ${post}`,
    heading: "Deliveries",
    thePost: "The post",
    edit: "Edit",
    summary: (n: number) => `${n} server inbox(es):`,
    sent: "sent",
    pending: "pending",
    failed: "failed",
    gone: "gone",
    none: "This post was sent to no server: it has no followers elsewhere, or it is private.",
    columns: ["Server", "Inbox", "Attempts", "Last error", "Updated"],
    retry: "Retry",
    queue: "Queue:",
    ready: "ready,",
    waiting: "waiting for a retry or a later time.",
    failedLastDay: "Failed in the last 24 hours:",
    failedHint: "Each post's page of deliveries tells which servers, and lets you retry.",
    noneHeld: "No server is held back.",
    held: "Servers held back after repeated failures (deliveries wait until they answer again):",
    unreachable: "unreachable",
    retrying: "being tried again",
    since: "since",
    failures: (n: number) => `(${n} recent failure(s))`,
  },
  fr: {
    sections: [
      { status: "failed", title: "Échoués", hint: "Abandonnés après tous les essais. Réessayer renvoie le lien à ce serveur." },
      { status: "pending", title: "En attente", hint: "En file, ou en attente d’un nouvel essai après une erreur." },
      { status: "gone", title: "Disparus", hint: "Le serveur a répondu que la boîte n’existe plus ; ses abonnés ont été retirés." },
      { status: "sent", title: "Envoyés", hint: "Le serveur a reçu le lien." },
    ] as Section[],
    title: (post: string) => `Envois de ${post}`,
    heading: "Envois",
    thePost: "Le lien",
    edit: "Modifier",
    summary: (n: number) => `${n} boîte(s) de serveurs :`,
    sent: "envoyés",
    pending: "en attente",
    failed: "échoués",
    gone: "disparus",
    none: "Ce lien n’a été envoyé à aucun serveur : pas d’abonnés ailleurs, ou il est privé.",
    columns: ["Serveur", "Boîte", "Essais", "Dernière erreur", "Mis à jour"],
    retry: "Réessayer",
    queue: "File :",
    ready: "prêts,",
    waiting: "en attente d’un nouvel essai ou d’un moment plus tard.",
    failedLastDay: "Échoués ces dernières 24 heures :",
    failedHint: "La page des envois de chaque lien dit quels serveurs, et permet de réessayer.",
    noneHeld: "Aucun serveur n’est mis de côté.",
    held: "Serveurs mis de côté après des échecs répétés (les envois attendent qu’ils répondent à nouveau) :",
    unreachable: "injoignable",
    retrying: "en cours de nouvel essai",
    since: "depuis",
    failures: (n: number) => `(${n} échec(s) récent(s))`,
  },
} satisfies Record<Locale, unknown>;

export function deliveriesPage(options: { csrf: string; locale: Locale; post: PostRow; deliveries: readonly DeliveryRow[]; notice?: string; error?: string }): Html {
  const { post, deliveries } = options;
  const count = (status: DeliveryStatus) => deliveries.filter((d) => d.status === status).length;
  const t = TEXT[options.locale];
  const name = post.title || post.url || post.id;
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "dashboard",
    title: t.title(name),
    body: html`<h1>${t.heading}</h1>
<p><a href="/p/${post.id}">${t.thePost}</a> · <a href="/admin/posts/${post.id}/edit">${t.edit}</a></p>
<p>${name}</p>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<p class="delivery-summary">${t.summary(deliveries.length)} <strong>${count("sent")}</strong> ${t.sent}, <strong>${count("pending")}</strong> ${t.pending}, <strong>${count("failed")}</strong> ${t.failed}, <strong>${count("gone")}</strong> ${t.gone}.</p>
${deliveries.length === 0 ? html`<p class="hint">${t.none}</p>` : ""}
${t.sections.map(({ status, title, hint }) => {
  const rows = deliveries.filter((d) => d.status === status);
  if (rows.length === 0) return "";
  return html`<section class="deliveries-${status}">
<h2>${title} (${rows.length})</h2>
<p class="hint">${hint}</p>
<table>
<thead><tr>${t.columns.map((column) => html`<th>${column}</th>`)}${status === "failed" || status === "gone" ? html`<td></td>` : ""}</tr></thead>
<tbody>${rows.map((d) => html`<tr data-status="${d.status}">
<td>${d.host}</td><td><code>${d.inbox}</code></td><td class="attempts">${d.attempts}</td>
<td>${d.last_error ?? ""}</td><td><time datetime="${d.updated_at.toISOString()}">${d.updated_at.toISOString().slice(0, 16).replace("T", " ")} UTC</time></td>
${status === "failed" || status === "gone" ? html`<td><form method="post" action="/admin/posts/${post.id}/deliveries/retry">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}"><input type="hidden" name="inbox" value="${d.inbox}">
<button type="submit">${t.retry}</button></form></td>` : ""}
</tr>`)}</tbody>
</table>
</section>`;
})}
`,
  });
}

export interface QueueSummary {
  readonly ready: number;
  readonly delayed: number;
  readonly failedLastDay: number;
  readonly held: readonly HeldServer[];
}

/** The dashboard's section on deliveries. */
export function queueSection(summary: QueueSummary, locale: Locale = "en"): Html {
  const t = TEXT[locale];
  return html`<section class="delivery-queue">
<h2>${t.heading}</h2>
<p>${t.queue} <strong class="queue-ready">${summary.ready}</strong> ${t.ready} <strong class="queue-delayed">${summary.delayed}</strong> ${t.waiting}</p>
<p>${t.failedLastDay} <strong class="failed-last-day">${summary.failedLastDay}</strong>. ${t.failedHint}</p>
${summary.held.length === 0
  ? html`<p class="hint">${t.noneHeld}</p>`
  : html`<p>${t.held}</p>
<ul class="held-servers">${summary.held.map(
      (server) => html`<li><strong>${server.host}</strong> ${server.state === "open" ? t.unreachable : t.retrying}${server.since === null ? "" : html` ${t.since} <time datetime="${server.since.toISOString()}">${server.since.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`} ${t.failures(server.failures)}</li>`,
    )}</ul>`}
</section>`;
}
