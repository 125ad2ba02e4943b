import { html, raw } from "hono/html";
import { issuesText, type ImportJobView } from "../../services/import-jobs.ts";
import { CSRF_FIELD } from "../security.ts";
import type { Html } from "./layout.ts";
import { adminPage } from "./admin-layout.ts";
import type { Locale } from "../i18n.ts";
import { importMessages } from "../import-i18n.ts";

export interface MovingPageOptions {
  readonly csrf: string;
  readonly locale: Locale;
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

const TEXT = {
  en: {
    existing: "Links already on the blog",
    keepMine: "Keep mine",
    updateThem: "Update them from the import",
    foldersAsTags: "Folders become tags",
    announce: "Announce the import to followers in one post",
    dryRun: "Dry run: count, write nothing",
    title: "Moving in and out",
    importH: "Import",
    importIntro: "A bookmark file from Shaarli, Pinboard, linkding, Firefox or Chrome (Netscape HTML), or Shaarli's <code>data/datastore.php</code>. Links keep their dates and join the blog, but are not sent to followers' timelines.",
    file: "File (up to 64 MB)",
    importButton: "Import",
    fromShaarli: "From a Shaarli that is still online",
    itsAddress: "Its address",
    itsSecret: "Its API secret (Tools → Configure your Shaarli)",
    importFromShaarli: "Import from Shaarli",
    imports: "Imports",
    export: "Export",
    exportIntro: "A bookmark file that Shaarli, linkding, Pinboard and browsers import:",
    everyPost: "every post",
    publicPosts: "public posts",
    privatePosts: "followers-only and private posts",
    backup: "Backup",
    backupIntro: "Everything (posts and their history, replies, reactions, followers, blocks, profile, media, settings) as one archive, which <code>npm run restore</code> or the form below brings back into a new Glose.",
    keys: "Include the private keys (needed to keep the same account on another machine; keep the file safe)",
    downloadBackup: "Download a backup",
    restore: "Restore",
    restoreHint: "Only into a Glose without posts or followers. Restart Glose afterwards if the backup has keys.",
    backupFile: "Backup file",
    fromAccount: "Moving from another account",
    fromIntro: "To bring your followers from a Mastodon account: name it here, then start the move from that account (Preferences → Account → Move to a different account) towards",
    remove: "Remove",
    cameFrom: (count: number, from: string) => `${count === 1 ? "1 of your followers" : `${count.toLocaleString("en-US")} of your followers`} came from ${from}.`,
    oldAccount: "Old account",
    addAlias: "Add as an alias",
    toAccount: "Moving to another account",
    firstList: "First list",
    firstListEnd: "as an alias of the new account, then name it here. Every follower will be asked to follow it instead.",
    newAccount: "New account",
    moveFollowers: "Move the followers",
    movedTo: "The blog moved to",
    fileSource: "File",
    waiting: "waiting",
    running: "running, {n} links read",
    failed: "failed, nothing imported",
    dry: "dry run, nothing written",
    done: "done",
    counts: "{new} new, {duplicates} duplicates ({updated} updated), {private} private, {errors} errors",
  },
  fr: {
    existing: "Liens déjà sur le blog",
    keepMine: "Garder les miens",
    updateThem: "Les mettre à jour depuis l’import",
    foldersAsTags: "Les dossiers deviennent des tags",
    announce: "Annoncer l’import aux abonnés en un seul message",
    dryRun: "Essai à blanc : compter, ne rien écrire",
    title: "Déménager",
    importH: "Importer",
    importIntro: "Un fichier de favoris de Shaarli, Pinboard, linkding, Firefox ou Chrome (HTML Netscape), ou le <code>data/datastore.php</code> de Shaarli. Les liens gardent leur date et rejoignent le blog, sans être envoyés dans le fil des abonnés.",
    file: "Fichier (64 Mo au plus)",
    importButton: "Importer",
    fromShaarli: "Depuis un Shaarli encore en ligne",
    itsAddress: "Son adresse",
    itsSecret: "Son secret d’API (Outils → Configurer votre Shaarli)",
    importFromShaarli: "Importer depuis Shaarli",
    imports: "Imports",
    export: "Exporter",
    exportIntro: "Un fichier de favoris que Shaarli, linkding, Pinboard et les navigateurs importent :",
    everyPost: "tous les liens",
    publicPosts: "les liens publics",
    privatePosts: "les liens réservés aux abonnés et privés",
    backup: "Sauvegarde",
    backupIntro: "Tout (les liens et leur historique, réponses, réactions, abonnés, blocages, profil, médias, réglages) en une archive, que <code>npm run restore</code> ou le formulaire ci-dessous ramène dans un nouveau Glose.",
    keys: "Inclure les clés privées (nécessaires pour garder le même compte sur une autre machine ; gardez le fichier en lieu sûr)",
    downloadBackup: "Télécharger une sauvegarde",
    restore: "Restaurer",
    restoreHint: "Seulement dans un Glose sans liens ni abonnés. Redémarrez Glose ensuite si la sauvegarde contient les clés.",
    backupFile: "Fichier de sauvegarde",
    fromAccount: "Venir d’un autre compte",
    fromIntro: "Pour amener vos abonnés d’un compte Mastodon : nommez-le ici, puis lancez le déménagement depuis ce compte (Préférences → Compte → Déménager vers un autre compte) vers",
    remove: "Retirer",
    cameFrom: (count: number, from: string) => `${count === 1 ? "1 de vos abonnés est venu" : `${count.toLocaleString("fr-FR")} de vos abonnés sont venus`} de ${from}.`,
    oldAccount: "Ancien compte",
    addAlias: "Ajouter comme alias",
    toAccount: "Partir vers un autre compte",
    firstList: "Déclarez d’abord",
    firstListEnd: "comme alias du nouveau compte, puis nommez-le ici. Chaque abonné sera invité à le suivre à la place.",
    newAccount: "Nouveau compte",
    moveFollowers: "Déménager les abonnés",
    movedTo: "Le blog a déménagé vers",
    fileSource: "Fichier",
    waiting: "en attente",
    running: "en cours, {n} liens lus",
    failed: "échec, rien d’importé",
    dry: "essai à blanc, rien d’écrit",
    done: "terminé",
    counts: "{new} nouveaux, {duplicates} doublons ({updated} mis à jour), {private} privés, {errors} erreurs",
  },
} satisfies Record<Locale, unknown>;

type Text = (typeof TEXT)["en"];

const importOptions = (t: Text) => html`<fieldset>
<legend>${t.existing}</legend>
<label><input type="radio" name="duplicates" value="skip" checked> ${t.keepMine}</label>
<label><input type="radio" name="duplicates" value="update"> ${t.updateThem}</label>
</fieldset>
<label><input type="checkbox" name="folders_as_tags" value="1"> ${t.foldersAsTags}</label>
<label><input type="checkbox" name="announce" value="1"> ${t.announce}</label>
<label><input type="checkbox" name="dry_run" value="1" checked> ${t.dryRun}</label>`;

export function movingPage(options: MovingPageOptions): Html {
  const t = TEXT[options.locale];
  const running = options.jobs.some((job) => job.status === "queued" || job.status === "running");
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "moving",
    title: t.title,
    head: running ? html`<meta http-equiv="refresh" content="3">` : undefined,
    body: html`<h1>${t.title}</h1>
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ""}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<section>
<h2>${t.importH}</h2>
<p>${raw(t.importIntro)}</p>
<form method="post" action="/admin/moving/import" enctype="multipart/form-data">
${csrfInput(options.csrf)}
<label for="file">${t.file}</label>
<input id="file" name="file" type="file" required>
${importOptions(t)}
<button type="submit">${t.importButton}</button>
</form>
<h3>${t.fromShaarli}</h3>
<form method="post" action="/admin/moving/shaarli">
${csrfInput(options.csrf)}
<label for="shaarli-url">${t.itsAddress}</label>
<input id="shaarli-url" name="url" type="url" required placeholder="https://links.example/">
<label for="shaarli-secret">${t.itsSecret}</label>
<input id="shaarli-secret" name="secret" type="password" required autocomplete="off">
${importOptions(t)}
<button type="submit">${t.importFromShaarli}</button>
</form>
${options.jobs.length === 0 ? "" : html`<h3>${t.imports}</h3><ul class="post-list">${options.jobs.map((job) => jobLine(t, job, options.locale))}</ul>`}
</section>
<section>
<h2>${t.export}</h2>
<p>${t.exportIntro}
<a href="/admin/moving/export?selection=all">${t.everyPost}</a>,
<a href="/admin/moving/export?selection=public">${t.publicPosts}</a>,
<a href="/admin/moving/export?selection=private">${t.privatePosts}</a>.</p>
</section>
<section>
<h2>${t.backup}</h2>
<p>${raw(t.backupIntro)}</p>
<form method="post" action="/admin/moving/backup">
${csrfInput(options.csrf)}
<label><input type="checkbox" name="keys" value="1"> ${t.keys}</label>
<button type="submit">${t.downloadBackup}</button>
</form>
<h3>${t.restore}</h3>
<p class="hint">${t.restoreHint}</p>
<form method="post" action="/admin/moving/restore" enctype="multipart/form-data">
${csrfInput(options.csrf)}
<label for="restore-file">${t.backupFile}</label>
<input id="restore-file" name="file" type="file" required>
<button type="submit">${t.restore}</button>
</form>
</section>
<section>
<h2>${t.fromAccount}</h2>
<p>${t.fromIntro} <code>${options.actorId}</code>.</p>
${options.aliases.length === 0
  ? ""
  : html`<ul>${options.aliases.map(
      (alias) => html`<li><code>${alias}</code> <form method="post" action="/admin/moving/alias/remove" class="inline">${csrfInput(options.csrf)}<input type="hidden" name="id" value="${alias}"><button type="submit" class="link">${t.remove}</button></form></li>`,
    )}</ul>`}
${options.movedFollowers.map(({ from, handle, count }) => html`<p>${t.cameFrom(count, handle ?? from)}</p>`)}
<form method="post" action="/admin/moving/alias">
${csrfInput(options.csrf)}
<label for="alias">${t.oldAccount}</label>
<input id="alias" name="handle" required placeholder="@you@mastodon.example">
<button type="submit">${t.addAlias}</button>
</form>
</section>
<section>
<h2>${t.toAccount}</h2>
${options.movedTo === null
  ? html`<p>${t.firstList} <code>${options.actorId}</code> ${t.firstListEnd}</p>
<form method="post" action="/admin/moving/move">
${csrfInput(options.csrf)}
<label for="target">${t.newAccount}</label>
<input id="target" name="handle" required placeholder="@you@new.example">
<button type="submit">${t.moveFollowers}</button>
</form>`
  : html`<p>${t.movedTo} <code>${options.movedTo}</code>.</p>`}
</section>
`,
  });
}

function jobLine(t: Text, job: ImportJobView, locale: Locale): Html {
  const what = job.source === "file" ? t.fileSource : "Shaarli";
  const counts =
    job.counts === null
      ? ""
      : t.counts.replace(/\{(\w+)\}/g, (_, key: keyof NonNullable<ImportJobView["counts"]>) => String(job.counts![key]));
  const worded = job.issues === null ? null : wordIssues(job.issues, locale);
  // Jobs older than the issues column, or written by a version with other codes, have their English text.
  const issues =
    worded !== null
      ? html`<pre class="hint">${worded}</pre>`
      : job.error !== null
        ? html`<pre class="hint" lang="en">${job.error}</pre>`
        : "";
  const status =
    job.status === "queued"
      ? t.waiting
      : job.status === "running"
        ? t.running.replace("{n}", String(job.processed))
        : job.status === "failed"
          ? t.failed
          : job.dryRun
            ? t.dry
            : t.done;
  return html`<li>${what} · ${job.createdAt.toISOString().slice(0, 16).replace("T", " ")} · <strong>${status}</strong>${counts === "" ? "" : html` · ${counts}`}${issues}</li>`;
}

/** The job's issues in the owner's language; null if this version has no words for one of its codes. */
function wordIssues(issues: NonNullable<ImportJobView["issues"]>, locale: Locale): string | null {
  try {
    return issuesText(issues, importMessages(locale));
  } catch {
    return null;
  }
}
