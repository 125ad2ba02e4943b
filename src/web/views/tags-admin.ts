// The owner's page of followable tags: the feature on or off, each tag on or off, its followers
// and the requests waiting for approval.
import { html, raw } from "hono/html";
import type { RemoteActorRow } from "../../data/remote-actors.ts";
import type { TagActorRow, TagFollowerRow } from "../../data/tag-actors.ts";
import { CSRF_FIELD } from "../security.ts";
import type { Html } from "./layout.ts";
import { adminPage } from "./admin-layout.ts";
import type { Locale } from "../i18n.ts";
import { actorLink } from "./social.ts";

const TEXT = {
  en: {
    title: "Followable tags",
    hint: (host: string) => `Each tag of a public post is an account of its own, @tag@${host}: its followers get that tag's public posts, boosted by it. New followers need your approval when you approve followers by hand.`,
    feature: "Tags can be followed",
    save: "Save",
    noTags: "No public post has tags yet.",
    turnOff: "Turn off for this tag",
    turnOn: "Turn on for this tag",
    noFollowers: "No followers.",
    waiting: "waiting",
    approve: "Approve",
    refuse: "Refuse",
    remove: "Remove",
  },
  fr: {
    title: "Tags à suivre",
    hint: (host: string) => `Chaque tag d’un lien public est un compte à part, @tag@${host} : ses abonnés reçoivent les liens publics de ce tag, partagés par lui. Les nouveaux abonnés attendent votre accord si vous approuvez les abonnés à la main.`,
    feature: "Les tags peuvent être suivis",
    save: "Enregistrer",
    noTags: "Aucun lien public n’a encore de tag.",
    turnOff: "Désactiver pour ce tag",
    turnOn: "Activer pour ce tag",
    noFollowers: "Aucun abonné.",
    waiting: "en attente",
    approve: "Approuver",
    refuse: "Refuser",
    remove: "Retirer",
  },
} satisfies Record<Locale, unknown>;

export interface TagAdminEntry {
  readonly row: TagActorRow;
  readonly followers: readonly TagFollowerRow[];
}

export function tagsAdminPage(options: {
  csrf: string; locale: Locale;
  host: string;
  on: boolean;
  tags: readonly TagAdminEntry[];
  actors: Map<string, RemoteActorRow>;
  error?: string;
}): Html {
  const t = TEXT[options.locale];
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}">`;
  const decide = (handle: string, actorId: string, action: "approve" | "reject", label: string) =>
    html`<form method="post" action="/admin/tags/followers/${action}" class="inline">${csrf}<input type="hidden" name="handle" value="${handle}"><input type="hidden" name="actor" value="${actorId}"><button type="submit" class="secondary small">${label}</button></form>`;
  return adminPage({
    locale: options.locale,
    csrf: options.csrf,
    section: "tags",
    title: t.title,
    body: html`<h1>${t.title}</h1>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
<p class="hint">${t.hint(options.host)}</p>
<form method="post" action="/admin/tags/feature">${csrf}
<label class="choice"><input type="checkbox" name="on" value="on"${options.on ? raw(" checked") : ""}> ${t.feature}</label>
<button type="submit">${t.save}</button>
</form>
${options.tags.length === 0 ? html`<p class="hint">${t.noTags}</p>` : ""}
${options.tags.map(
  ({ row, followers }) => html`<section class="tag-actor">
<h2>#${row.tag} <code>@${row.handle}@${options.host}</code></h2>
<form method="post" action="/admin/tags/${row.handle}/toggle" class="inline">${csrf}<input type="hidden" name="on" value="${row.enabled ? "" : "on"}"><button type="submit" class="secondary small">${row.enabled ? t.turnOff : t.turnOn}</button></form>
${followers.length === 0 ? html`<p class="hint">${t.noFollowers}</p>` : ""}
<ul class="followers">${followers.map(
    (follower) => html`<li>${actorLink(follower.actor_id, options.actors.get(follower.actor_id))}${
      follower.status === "pending" ? html` <span class="badge">${t.waiting}</span> ${decide(row.handle, follower.actor_id, "approve", t.approve)}` : ""
    } ${decide(row.handle, follower.actor_id, "reject", follower.status === "pending" ? t.refuse : t.remove)}</li>`,
  )}</ul>
</section>`,
)}
`,
  });
}
