/**
 * The short excerpt of a commentary that lists show: its first paragraph, or its first ~300
 * characters cut at a word, with the elements it opened closed again. Pure.
 */
import { Parser } from "htmlparser2";
import { escapeHtml } from "./html.ts";

export interface Excerpt {
  readonly html: string;
  /** Whether something was left out: the list then links to the whole text. */
  readonly truncated: boolean;
}

const VOID = new Set(["br", "hr", "img", "wbr"]);
const BLOCKS = new Set(["p", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "div", "figure", "table"]);

/**
 * Sanitized HTML shortened: whole top-level blocks while they fit in `max` characters of text
 * (stopping after the first one of `enough` characters or more), else the text cut at the last
 * word that fits, with an ellipsis.
 */
export function excerptHtml(html: string, max = 300, enough = 140): Excerpt {
  let out = "";
  let length = 0;
  let done = false;
  let truncated = false;
  const open: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (done) return;
        out += `<${name}${Object.entries(attributes).map(([key, value]) => ` ${key}="${escapeHtml(value)}"`).join("")}>`;
        if (!VOID.has(name)) open.push(name);
      },
      ontext(text) {
        if (done) {
          if (/\S/u.test(text)) truncated = true;
          return;
        }
        if (length + text.length <= max) {
          out += escapeHtml(text);
          length += text.length;
          return;
        }
        const room = text.slice(0, max - length);
        const cut = room.replace(/\s+\S*$/u, "");
        out += `${escapeHtml((cut === room ? "" : cut).trimEnd())}…`;
        truncated = true;
        done = true;
      },
      onclosetag(name) {
        if (VOID.has(name) || open.at(-1) !== name) return;
        if (!done || open.length > 0) {
          out += `</${name}>`;
          open.pop();
        }
        if (!done && open.length === 0 && BLOCKS.has(name) && length >= enough) done = true;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { html: out.trim(), truncated };
}
