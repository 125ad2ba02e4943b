// The choice of a post's language: ISO 639-1 codes, each named in its own language.
import { html, raw } from "hono/html";
import { languageName, POST_LANGUAGES } from "../../content/language.ts";
import type { Html } from "./layout.ts";

/** A <select> of the post languages, with `current` selected (and offered, even if unlisted). */
export function languageSelect(name: string, current: string): Html {
  const codes = POST_LANGUAGES.includes(current) || current === "" ? POST_LANGUAGES : [current, ...POST_LANGUAGES];
  return html`<select id="${name}" name="${name}">${codes.map(
    (code) => html`<option value="${code}" lang="${code}"${code === current ? raw(" selected") : ""}>${languageName(code)}</option>`,
  )}</select>`;
}
