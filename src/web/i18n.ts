// The public pages speak French and English: from the owner's setting, else Accept-Language.
export type Locale = "en" | "fr";
export const LOCALES: readonly Locale[] = ["en", "fr"];

const en = {
  home: "Home",
  tags: "Tags",
  daily: "Daily",
  search: "Search",
  searchPlaceholder: "Words, #tags",
  feeds: "Feeds",
  admin: "Admin",
  newPost: "New post",
  nothingYet: "Nothing posted yet.",
  olderPosts: "Older posts",
  newerPosts: "Newer posts",
  pinned: "Pinned",
  deadLink: "This link no longer answers. Archived copies:",
  edit: "Edit",
  deletePost: "Delete…",
  deliveries: "Deliveries",
  unlisted: "Unlisted",
  followersOnly: "Followers only",
  private: "Private",
  replies: (n: number) => (n === 1 ? "1 reply" : `${n} replies`),
  likes: (n: number) => (n === 1 ? "1 like" : `${n} likes`),
  boosts: (n: number) => (n === 1 ? "1 boost" : `${n} boosts`),
  quotes: (n: number) => (n === 1 ? "1 quote" : `${n} quotes`),
  followFromServer: "Follow from your server",
  interactFromServer: "Reply, like or boost from your own server",
  yourHandle: "@you@mastodon.social",
  go: "Go",
  orPaste: (uri: string) => `Or paste ${uri} into your server's search.`,
  copy: "Copy",
  copied: "Copied",
  deleted: "This post was deleted.",
  notFound: "Nothing here.",
  tagTitle: (tag: string) => `Posts tagged #${tag}`,
  followTag: "Follow only this tag from Mastodon:",
  tagsFollowable: "Each tag can also be followed on its own from Mastodon: its page gives its handle.",
  tagCloud: "Tag cloud",
  tagList: "All tags",
  postsCount: (n: number) => (n === 1 ? "1 post" : `${n} posts`),
  dailyTitle: (day: string) => `Links of ${day}`,
  previousDay: "Previous day",
  nextDay: "Next day",
  noPostsThatDay: "No posts that day.",
  searchTitle: (q: string) => `Search: ${q}`,
  results: (n: number) => (n === 1 ? "1 result" : `${n} results`),
  resultsAtLeast: (n: number) => `At least ${n} results`,
  noResults: "No post matches.",
  interactTitle: "Interact from your server",
  interactBadHandle: "Type your handle as @you@your.server.",
  interactNoTemplate: "Your server did not say how to open remote posts.",
  interactPaste: "Paste this address into the search box of your Mastodon (or other fediverse) app:",
  tryAnother: "Try another handle",
  conversation: "Conversation",
  hidden: "Hidden",
  // Reading pages: excerpts and error pages.
  readMore: "Read more",
  readMoreOf: (title: string) => `: ${title}`,
  backHome: "Back to the home page",
  notFoundTitle: "Page not found",
  notFoundText: "There is nothing at this address: it may have moved, or the link may be mistyped.",
  goneTitle: "Post deleted",
  errorTitle: "Something went wrong",
  errorText: "This page could not be shown. Please try again in a moment.",
  followOrMore: "Follow",
};

export type Messages = typeof en;

const fr: Messages = {
  home: "Accueil",
  tags: "Tags",
  daily: "Quotidien",
  search: "Rechercher",
  searchPlaceholder: "Mots, #tags",
  feeds: "Flux",
  admin: "Administration",
  newPost: "Nouveau lien",
  nothingYet: "Rien de publié pour l’instant.",
  olderPosts: "Liens plus anciens",
  newerPosts: "Liens plus récents",
  pinned: "Épinglé",
  deadLink: "Ce lien ne répond plus. Copies archivées\u00A0:",
  edit: "Modifier",
  deletePost: "Supprimer…",
  deliveries: "Envois",
  unlisted: "Non listé",
  followersOnly: "Abonnés seulement",
  private: "Privé",
  replies: (n) => (n <= 1 ? `${n} réponse` : `${n} réponses`),
  likes: (n) => (n <= 1 ? `${n} favori` : `${n} favoris`),
  boosts: (n) => (n <= 1 ? `${n} partage` : `${n} partages`),
  quotes: (n) => (n <= 1 ? `${n} citation` : `${n} citations`),
  followFromServer: "Suivre depuis votre serveur",
  interactFromServer: "Répondre, aimer ou partager depuis votre serveur",
  yourHandle: "@vous@mastodon.social",
  go: "Aller",
  orPaste: (uri) => `Ou collez ${uri} dans la recherche de votre serveur.`,
  copy: "Copier",
  copied: "Copié",
  deleted: "Ce lien a été supprimé.",
  notFound: "Rien ici.",
  tagTitle: (tag) => `Liens étiquetés #${tag}`,
  followTag: "Suivre seulement ce tag depuis Mastodon\u00A0:",
  tagsFollowable: "Chaque tag peut aussi être suivi seul depuis Mastodon\u00A0: sa page donne son identifiant.",
  tagCloud: "Nuage de tags",
  tagList: "Tous les tags",
  postsCount: (n) => (n <= 1 ? `${n} lien` : `${n} liens`),
  dailyTitle: (day) => `Les liens du ${day}`,
  previousDay: "Jour précédent",
  nextDay: "Jour suivant",
  noPostsThatDay: "Aucun lien ce jour-là.",
  searchTitle: (q) => `Recherche\u00A0: ${q}`,
  results: (n) => (n <= 1 ? `${n} résultat` : `${n} résultats`),
  resultsAtLeast: (n) => `Au moins ${n} résultats`,
  noResults: "Aucun lien ne correspond.",
  interactTitle: "Interagir depuis votre serveur",
  interactBadHandle: "Saisissez votre identifiant sous la forme @vous@votre.serveur.",
  interactNoTemplate: "Votre serveur n’indique pas comment ouvrir un message distant.",
  interactPaste: "Collez cette adresse dans la recherche de votre application Mastodon (ou d’un autre serveur du fédivers)\u00A0:",
  tryAnother: "Essayer un autre identifiant",
  conversation: "Conversation",
  hidden: "Masquée",
  // Reading pages: excerpts and error pages.
  readMore: "Lire la suite",
  readMoreOf: (title) => `\u00A0: ${title}`,
  backHome: "Retour à l’accueil",
  notFoundTitle: "Page introuvable",
  notFoundText: "Il n’y a rien à cette adresse\u00A0: elle a pu changer, ou le lien est mal recopié.",
  goneTitle: "Lien supprimé",
  errorTitle: "Une erreur est survenue",
  errorText: "Cette page n’a pas pu être affichée. Réessayez dans un instant.",
  followOrMore: "Suivre",
};

const CATALOGS: Record<Locale, Messages> = { en, fr };

/** The owner's choice if set, else the reader's first supported Accept-Language, else English. */
export function pickLocale(setting: string | null | undefined, acceptLanguage: string | undefined): Locale {
  if (setting === "en" || setting === "fr") return setting;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", q = "q=1"] = part.trim().split(";");
      return { language: tag.trim().toLowerCase().split("-")[0] ?? "", quality: Number(q.trim().slice(2)) || 0 };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  for (const { language } of ranked) if (language === "en" || language === "fr") return language;
  return "en";
}

export function messages(locale: Locale): Messages {
  return CATALOGS[locale];
}
