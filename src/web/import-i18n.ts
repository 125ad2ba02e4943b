// Import problems and failures in the admin's language. French follows the typography of the
// blog's French pages: ’, no-break spaces before : ; ? ! and inside « », grouped thousands.
// Technical names (a doctype, gzdeflate, an HTTP status) stay as they are.
import { IMPORT_MESSAGES_EN, phpText, type ImportMessages } from "../content/import-failures.ts";
import { NBSP, NNBSP } from "../content/typography.ts";
import type { Locale } from "./i18n.ts";

const n = (value: number) => value.toLocaleString("fr-FR");
const quoted = (text: string) => `«${NNBSP}${text}${NNBSP}»`;
const line = (number: number) => `ligne ${n(number)}${NBSP}:`;
const datastore = `datastore.php${NBSP}:`;
const api = `API Shaarli${NBSP}:`;

const fr: ImportMessages = {
  place: ({ unit, number }) => `${{ line: "ligne", entry: "entrée", link: "lien" }[unit]} ${n(number)}`,
  problem: (place, text) => `${place}${NBSP}: ${text}`,
  problems: {
    "invalid-url": "pas une adresse web",
    empty: "ni adresse ni titre",
    "too-long": "un titre ou une description trop long",
    "invalid-visibility": "une visibilité invalide",
    "not-found": "le lien à mettre à jour n’existe plus",
    duplicate: "déjà publié",
  },
  failures: {
    "not-netscape": () => `${line(1)} ce n’est pas un fichier de favoris Netscape (pas de <!DOCTYPE NETSCAPE-Bookmark-file-1>)`,
    "not-utf8": ({ line: at, byte }) => `${line(at)} le fichier n’est pas du texte UTF-8 (vers l’octet ${n(byte)})`,
    "not-utf8-at-end": ({ line: at }) => `${line(at)} le fichier n’est pas du texte UTF-8 (il s’arrête au milieu d’un caractère)`,
    "ends-inside-link": ({ line: at }) => `${line(at)} le fichier s’arrête au milieu d’un lien (est-il tronqué${NNBSP}?)`,
    "ends-inside-folder": ({ line: at }) => `${line(at)} le fichier s’arrête au milieu d’un dossier (est-il tronqué${NNBSP}?)`,
    "title-too-long": ({ line: at, limit }) => `${line(at)} un titre de plus de ${n(limit)} caractères`,
    "description-too-long": ({ line: at, limit }) => `${line(at)} une description de plus de ${n(limit)} caractères`,
    "folder-name-too-long": ({ line: at, limit }) => `${line(at)} un nom de dossier de plus de ${n(limit)} caractères`,
    "url-too-long": ({ line: at, limit }) => `${line(at)} un lien de plus de ${n(limit)} caractères`,
    "folders-too-deep": ({ line: at, limit }) => `${line(at)} des dossiers imbriqués sur plus de ${n(limit)} niveaux`,
    "folder-not-open": ({ line: at }) => `${line(at)} un </DL> sans son <DL>`,
    "empty-link": ({ line: at }) => `${line(at)} un lien sans adresse ni titre`,
    "not-datastore": () => `ce n’est pas un datastore.php de Shaarli (il doit commencer par ${quoted("<?php /*")} et finir par ${quoted("*/ ?>")})`,
    "datastore-too-large": () => `${datastore} le fichier est trop gros`,
    "not-base64": () => `${datastore} les données ne sont pas en base64`,
    "inflates-too-large": ({ limit }) => `${datastore} décompressées, les données dépassent ${n(limit)} octets`,
    "not-deflated": () => `${datastore} les données ne sont pas compressées (gzdeflate)`,
    unserialize: ({ php }) => `${datastore} ${phpText(php, fr)} à l’octet ${n(php.byte)}`,
    "not-link-list": () => `${datastore} les données ne sont pas une liste de liens`,
    "entry-not-link": ({ entry }) => `datastore.php, entrée ${n(entry)}${NBSP}: ce n’est pas un lien`,
    "entry-field-not-text": ({ entry, field }) => `datastore.php, entrée ${n(entry)}${NBSP}: le champ ${field} n’est pas du texte`,
    "entry-bad-date": ({ entry, date }) => `datastore.php, entrée ${n(entry)}${NBSP}: date illisible ${quoted(date)}`,
    "api-unreachable": ({ host, reason }) => `${api} impossible de joindre ${host} (${reason})`,
    "api-secret-refused": () => `${api} l’instance a refusé le secret d’API`,
    "api-status": ({ path, status }) => `${api} ${path} a répondu ${status}`,
    "api-not-json": ({ path }) => `${api} ${path} n’a pas répondu en JSON`,
    "api-not-array": () => `${api} la liste des liens n’est pas un tableau`,
    "api-bad-address": () => `${api} l’adresse de l’instance doit être une URL http(s)`,
    "api-not-object": ({ link }) => `API Shaarli, lien ${n(link)}${NBSP}: ce n’est pas un objet`,
    "api-field-not-text": ({ link, field }) => `API Shaarli, lien ${n(link)}${NBSP}: le champ ${field} n’est pas du texte`,
  },
  php: {
    "trailing-data": () => "des données en trop après la valeur",
    "too-deep": ({ limit }) => `des valeurs imbriquées sur plus de ${n(limit)} niveaux`,
    "bad-boolean": () => "un booléen autre que 0 ou 1",
    "bad-float": () => "un nombre décimal mal formé",
    "ends-early": () => "les données s’arrêtent trop tôt",
    "unsupported-type": ({ char }) => `un type de valeur non pris en charge ${quoted(char)}`,
    "bad-key": () => "une clé qui n’est ni un entier ni une chaîne",
    "string-too-long": () => "une chaîne plus longue que les données",
    "string-not-utf8": () => "une chaîne qui n’est pas en UTF-8",
    "bad-integer": () => "un entier mal formé",
    "bad-number": () => "un nombre mal formé",
    expected: ({ char }) => `${quoted(char)} attendu`,
  },
  unexpected: `l’import a échoué${NNBSP}; voyez le journal du serveur`,
};

const CATALOGS: Record<Locale, ImportMessages> = { en: IMPORT_MESSAGES_EN, fr };

export function importMessages(locale: Locale): ImportMessages {
  return CATALOGS[locale];
}
