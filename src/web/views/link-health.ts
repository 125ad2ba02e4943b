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

const SECTIONS: readonly { status: LinkStatus; heading: string; hint: string }[] = [
  { status: "dead", heading: "Dead", hint: "404 or 410, a name gone from DNS, or failing for a week." },
  { status: "moved", heading: "Moved", hint: "They redirect for good to another address." },
  { status: "failing", heading: "Failing", hint: "Errors for less than a week: checked again every day." },
  { status: "refused", heading: "Not checked", hint: "On a private address, which Glose does not contact." },
  { status: "unchecked", heading: "Waiting for a first check", hint: "" },
  { status: "healthy", heading: "Healthy", hint: "" },
];

const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

function action(csrf: string, path: string, label: string, postId?: string): Html {
  return html`<form method="post" action="/admin/links/health/${path}" class="inline">${csrfInput(csrf)}${postId === undefined ? "" : html`<input type="hidden" name="post" value="${postId}">`}<button type="submit" class="link">${label}</button></form>`;
}

function when(date: Date | null): string {
  return date === null ? "never" : date.toISOString().slice(0, 16).replace("T", " ");
}

function linkLine(csrf: string, row: LinkCheckListing): Html {
  const archive = waybackUrl(row.url, row.published_at);
  const archived = row.comment.includes(archive);
  const answer = row.http_status !== null ? `HTTP ${row.http_status}` : (row.error ?? "");
  return html`<li><a href="/p/${row.post_id}">${row.title}</a> <a class="hint" href="${row.url}" rel="nofollow noopener noreferrer">${row.url}</a>
<span class="hint">${answer}${answer === "" ? "" : " · "}checked ${when(row.last_checked_at)} · last alive ${when(row.last_alive_at)}${row.consecutive_failures > 0 ? ` · ${row.consecutive_failures} failures` : ""}</span>
${row.status === "moved" && row.final_url !== null ? html`<span>→ <a href="${row.final_url}" rel="nofollow noopener noreferrer">${row.final_url}</a></span> ${action(csrf, "update", "Update link", row.post_id)}` : ""}
${row.status === "dead" ? (archived ? html`<span class="hint">Archive link added</span>` : action(csrf, "archive", "Add archive link", row.post_id)) : ""}
${action(csrf, "check", "Check now", row.post_id)}</li>`;
}

export function linkHealthPage(options: LinkHealthPageOptions): Html {
  const { counts, csrf } = options;
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "links",
    title: "Link health",
    body: html`<h1>Link health</h1>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<p>Each post's link is checked about once a week, one request per site at a time.</p>
<ul class="link-counts">
<li><strong data-count="dead">${counts.dead}</strong> dead</li>
<li><strong data-count="moved">${counts.moved}</strong> moved</li>
<li><strong data-count="healthy">${counts.healthy}</strong> healthy</li>
<li><strong data-count="failing">${counts.failing}</strong> failing</li>
<li><strong data-count="unchecked">${counts.unchecked}</strong> waiting</li>
</ul>
<p>${action(csrf, "check-all", "Check all links soon")}
${counts.dead > 0 ? action(csrf, "archive-all", "Add archive links to all dead links") : ""}
${counts.moved > 0 ? action(csrf, "update-all", "Update all moved links") : ""}</p>
${SECTIONS.map(({ status, heading, hint }) => {
  const rows = options.lists[status] ?? [];
  if (rows.length === 0) return "";
  const list = html`<h2 id="${status}">${heading} (${counts[status]})</h2>${hint === "" ? "" : html`<p class="hint">${hint}</p>`}<ul class="post-list">${rows.map((row) => linkLine(csrf, row))}</ul>`;
  return status === "healthy" ? html`<details><summary>${heading} (${counts[status]})</summary><ul class="post-list">${rows.map((row) => linkLine(csrf, row))}</ul></details>` : list;
})}
`,
  });
}
