/**
 * French typography: the non-breaking spaces that keep `: ; ! ? »` from starting a line,
 * guillemets for straight or English double quotes, and the typographic apostrophe (l’homme). Applied to text only: never inside code,
 * pre, translate="no", URLs, entities or attributes. Idempotent, so it may run on text it
 * already set. Pure.
 */
import { decodeEntities, escapeHtml } from "./html.ts";

export const NNBSP = "\u202F"; // narrow no-break space: before ; ! ? and inside « »
export const NBSP = "\u00A0"; // no-break space: before :
const SPACES = "[ \\u00A0\\u202F\\t]";

// Elements whose text is code or preformatted: left exactly as written, like those marked
// translate="no" (handles, URLs shown shortened).
const VERBATIM = new Set(["code", "pre", "kbd", "samp", "var", "script", "style", "textarea"]);

// URLs, e-mail-like handles and `:shortcodes:` are kept apart from the rules.
const UNTOUCHABLE = /(?:https?|ftp|mailto):[^\s<>«»"]+|www\.[^\s<>«»"]+|@[\w.-]+@[\w.-]+|:[\w+-]+:/giu;

/** Whether a language tag is French (fr, fr-CA…). */
export function isFrench(language: string | null | undefined): boolean {
  return /^fr(?:-|$)/i.test(language ?? "");
}

function setWords(text: string): string {
  return text
    .replace(/(?<=\p{L})'(?=\p{L})/gu, "’")
    .replace(/"([^"\n]+)"|“([^”\n]+)”/gu, (_, straight: string | undefined, curly: string | undefined) => `«${straight ?? curly}»`)
    .replace(new RegExp(`«${SPACES}*`, "gu"), `«${NNBSP}`)
    .replace(new RegExp(`(^|\\S)${SPACES}*»`, "gu"), (_, before: string) => `${before}${NNBSP}»`)
    .replace(new RegExp(`(^|\\S)${SPACES}*([;!?]+)(?=[\\s)»”’"\\].,]|$)`, "gu"), (match, before: string, marks: string) =>
      /[;!?]/u.test(before) ? match : `${before}${NNBSP}${marks}`,
    )
    .replace(new RegExp(`(^|[^\\s\\d:])${SPACES}*:(?=\\s|$)`, "gu"), (_, before: string) => `${before}${NBSP}:`);
}

/** Plain text (a title) set in French typography. */
export function frenchText(text: string): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(UNTOUCHABLE)) {
    result += setWords(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + setWords(text.slice(last));
}

/** Sanitized HTML with French typography in its text nodes, but those of verbatim elements. */
export function frenchHtml(html: string): string {
  let verbatim: { name: string; depth: number } | null = null;
  return html
    .split(/(<!--[\s\S]*?-->|<[^>]*>)/u)
    .map((part, index) => {
      if (index % 2 === 1) {
        const tag = /^<(\/?)([a-z0-9]+)/i.exec(part);
        if (tag === null || part.endsWith("/>")) return part;
        const name = tag[2]!.toLowerCase();
        if (verbatim !== null) {
          if (name === verbatim.name) verbatim.depth += tag[1] ? -1 : 1;
          if (verbatim.depth === 0) verbatim = null;
        } else if (!tag[1] && (VERBATIM.has(name) || /\stranslate="no"/iu.test(part))) {
          verbatim = { name, depth: 1 };
        }
        return part;
      }
      if (verbatim !== null || !/[:;!?«»"“']|&#39;/u.test(part)) return part;
      return escapeText(frenchText(decodeEntities(part)));
    })
    .join("");
}

/** Text content escaped as the sanitizer writes it (quotes need no escaping outside attributes). */
function escapeText(text: string): string {
  return escapeHtml(text).replaceAll("&quot;", '"').replaceAll("&#39;", "'");
}
