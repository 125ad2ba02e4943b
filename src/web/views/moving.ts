import { html } from "hono/html";
import type { ImportJobView } from "../../services/import-jobs.ts";
import { CSRF_FIELD } from "../security.ts";
import { page, type Html } from "./layout.ts";

export interface MovingPageOptions {
  readonly csrf: string;
  readonly jobs: readonly ImportJobView[];
  readonly aliases: readonly string[];
  /** How many followers each former account's move brought. */
  readonly movedFollowers: readonly { from: string; handle: string | null; count: number }[];
  readonly movedTo: string | null;
  readonly actorId: string;
  readonly notice?: string;
  readonly error?: string;
}

const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

const importOptions = html`<fieldset>
<legend>Links already on the blog</legend>
<label><input type="radio" name="duplicates" value="skip" checked> Keep mine</label>
<label><input type="radio" name="duplicates" value="update"> Update them from the import</label>
</fieldset>
<label><input type="checkbox" name="folders_as_tags" value="1"> Folders become tags</label>
<label><input type="checkbox" name="announce" value="1"> Announce the import to followers in one post</label>
<label><input type="checkbox" name="dry_run" value="1" checked> Dry run: count, write nothing</label>`;

export function movingPage(options: MovingPageOptions): Html {
  const running = options.jobs.some((job) => job.status === "queued" || job.status === "running");
  return page({
    title: "Moving in and out · Glose",
    head: running ? html`<meta http-equiv="refresh" content="3">` : undefined,
    body: html`<main>
<p><a href="/admin">← Admin</a></p>
<h1>Moving in and out</h1>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<section>
<h2>Import</h2>
<p>A bookmark file from Shaarli, Pinboard, linkding, Firefox or Chrome (Netscape HTML), or Shaarli's <code>data/datastore.php</code>.
Links keep their dates and join the blog, but are not sent to followers' timelines.</p>
<form method="post" action="/admin/moving/import" enctype="multipart/form-data">
${csrfInput(options.csrf)}
<label for="file">File (up to 64 MB)</label>
<input id="file" name="file" type="file" required>
${importOptions}
<button type="submit">Import</button>
</form>
<h3>From a Shaarli that is still online</h3>
<form method="post" action="/admin/moving/shaarli">
${csrfInput(options.csrf)}
<label for="shaarli-url">Its address</label>
<input id="shaarli-url" name="url" type="url" required placeholder="https://links.example/">
<label for="shaarli-secret">Its API secret (Tools → Configure your Shaarli)</label>
<input id="shaarli-secret" name="secret" type="password" required autocomplete="off">
${importOptions}
<button type="submit">Import from Shaarli</button>
</form>
${options.jobs.length === 0 ? "" : html`<h3>Imports</h3><ul class="post-list">${options.jobs.map(jobLine)}</ul>`}
</section>
<section>
<h2>Export</h2>
<p>A bookmark file that Shaarli, linkding, Pinboard and browsers import:
<a href="/admin/moving/export?selection=all">every post</a>,
<a href="/admin/moving/export?selection=public">public posts</a>,
<a href="/admin/moving/export?selection=private">followers-only and private posts</a>.</p>
</section>
<section>
<h2>Backup</h2>
<p>Everything (posts and their history, replies, reactions, followers, blocks, profile, media, settings) as one archive, which <code>npm run restore</code> or the form below brings back into a new Glose.</p>
<form method="post" action="/admin/moving/backup">
${csrfInput(options.csrf)}
<label><input type="checkbox" name="keys" value="1"> Include the private keys (needed to keep the same account on another machine; keep the file safe)</label>
<button type="submit">Download a backup</button>
</form>
<h3>Restore</h3>
<p class="hint">Only into a Glose without posts or followers. Restart Glose afterwards if the backup has keys.</p>
<form method="post" action="/admin/moving/restore" enctype="multipart/form-data">
${csrfInput(options.csrf)}
<input name="file" type="file" required>
<button type="submit">Restore</button>
</form>
</section>
<section>
<h2>Moving from another account</h2>
<p>To bring your followers from a Mastodon account: name it here, then start the move from that account (Preferences → Account → Move to a different account) towards <code>${options.actorId}</code>.</p>
${options.aliases.length === 0
  ? ""
  : html`<ul>${options.aliases.map(
      (alias) => html`<li><code>${alias}</code> <form method="post" action="/admin/moving/alias/remove" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="id" value="${alias}"><button type="submit" class="link">Remove</button></form></li>`,
    )}</ul>`}
${options.movedFollowers.map(
  ({ from, handle, count }) => html`<p>${count === 1 ? "1 of your followers" : `${count.toLocaleString("en-US")} of your followers`} came from ${handle ?? from}.</p>`,
)}
<form method="post" action="/admin/moving/alias">
${csrfInput(options.csrf)}
<label for="alias">Old account</label>
<input id="alias" name="handle" required placeholder="@you@mastodon.example">
<button type="submit">Add as an alias</button>
</form>
</section>
<section>
<h2>Moving to another account</h2>
${options.movedTo === null
  ? html`<p>First list <code>${options.actorId}</code> as an alias of the new account, then name it here. Every follower will be asked to follow it instead.</p>
<form method="post" action="/admin/moving/move">
${csrfInput(options.csrf)}
<label for="target">New account</label>
<input id="target" name="handle" required placeholder="@you@new.example">
<button type="submit">Move the followers</button>
</form>`
  : html`<p>The blog moved to <code>${options.movedTo}</code>.</p>`}
</section>
</main>`,
  });
}

function jobLine(job: ImportJobView): Html {
  const what = job.source === "file" ? "File" : "Shaarli";
  const counts = job.counts === null ? "" : `${job.counts.new} new, ${job.counts.duplicates} duplicates (${job.counts.updated} updated), ${job.counts.private} private, ${job.counts.errors} errors`;
  const status =
    job.status === "queued"
      ? "waiting"
      : job.status === "running"
        ? `running, ${job.processed} links read`
        : job.status === "failed"
          ? "failed, nothing imported"
          : job.dryRun
            ? "dry run, nothing written"
            : "done";
  return html`<li>${what} · ${job.createdAt.toISOString().slice(0, 16).replace("T", " ")} · <strong>${status}</strong>${counts === "" ? "" : html` · ${counts}`}${job.error === null ? "" : html`<pre class="hint">${job.error}</pre>`}</li>`;
}
