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

const SECTIONS: readonly { status: DeliveryStatus; title: string; hint: string }[] = [
  { status: "failed", title: "Failed", hint: "Given up after every retry. Retry sends the post to that server again." },
  { status: "pending", title: "Pending", hint: "Queued, or waiting for a retry after an error." },
  { status: "gone", title: "Gone", hint: "The server answered that the inbox no longer exists; its followers were removed." },
  { status: "sent", title: "Sent", hint: "The server has the post." },
];

export function deliveriesPage(options: { csrf: string; locale: Locale; post: PostRow; deliveries: readonly DeliveryRow[]; notice?: string; error?: string }): Html {
  const { post, deliveries } = options;
  const count = (status: DeliveryStatus) => deliveries.filter((d) => d.status === status).length;
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "dashboard",
    title: `Deliveries of ${post.title || post.url || post.id}`,
    body: html`<h1>Deliveries</h1>
<p><a href="/p/${post.id}">The post</a> · <a href="/admin/posts/${post.id}/edit">Edit</a></p>
<p>${post.title || post.url || post.id}</p>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<p class="delivery-summary">${deliveries.length} server inbox(es): <strong>${count("sent")}</strong> sent, <strong>${count("pending")}</strong> pending, <strong>${count("failed")}</strong> failed, <strong>${count("gone")}</strong> gone.</p>
${deliveries.length === 0 ? html`<p class="hint">This post was sent to no server: it has no followers elsewhere, or it is private.</p>` : ""}
${SECTIONS.map(({ status, title, hint }) => {
  const rows = deliveries.filter((d) => d.status === status);
  if (rows.length === 0) return "";
  return html`<section class="deliveries-${status}">
<h2>${title} (${rows.length})</h2>
<p class="hint">${hint}</p>
<table>
<thead><tr><th>Server</th><th>Inbox</th><th>Attempts</th><th>Last error</th><th>Updated</th>${status === "failed" || status === "gone" ? html`<th></th>` : ""}</tr></thead>
<tbody>${rows.map((d) => html`<tr data-status="${d.status}">
<td>${d.host}</td><td><code>${d.inbox}</code></td><td class="attempts">${d.attempts}</td>
<td>${d.last_error ?? ""}</td><td><time datetime="${d.updated_at.toISOString()}">${d.updated_at.toISOString().slice(0, 16).replace("T", " ")} UTC</time></td>
${status === "failed" || status === "gone" ? html`<td><form method="post" action="/admin/posts/${post.id}/deliveries/retry">
<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}"><input type="hidden" name="inbox" value="${d.inbox}">
<button type="submit">Retry</button></form></td>` : ""}
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
export function queueSection(summary: QueueSummary): Html {
  return html`<section class="delivery-queue">
<h2>Deliveries</h2>
<p>Queue: <strong class="queue-ready">${summary.ready}</strong> ready, <strong class="queue-delayed">${summary.delayed}</strong> waiting for a retry or a later time.</p>
<p>Failed in the last 24 hours: <strong class="failed-last-day">${summary.failedLastDay}</strong>. Each post's page of deliveries tells which servers, and lets you retry.</p>
${summary.held.length === 0
  ? html`<p class="hint">No server is held back.</p>`
  : html`<p>Servers held back after repeated failures (deliveries wait until they answer again):</p>
<ul class="held-servers">${summary.held.map(
      (server) => html`<li><strong>${server.host}</strong> ${server.state === "open" ? "unreachable" : "being tried again"}${server.since === null ? "" : html` since <time datetime="${server.since.toISOString()}">${server.since.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`} (${server.failures} recent failure(s))</li>`,
    )}</ul>`}
</section>`;
}
