import { sql, type RawBuilder } from "kysely";

// A \u0000 escape preceded by an even number of backslashes, i.e. a real NUL character.
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;
// JSON.stringify writes paired surrogates as they are and escapes only lone ones.
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/gi;

/**
 * A value for a jsonb column. The JSON text is sent typed as text and cast, so that every driver
 * stores the same whatever it does with a JavaScript value given for a jsonb parameter.
 * PostgreSQL's jsonb cannot hold NUL characters or lone surrogates, which hostile payloads carry:
 * they become U+FFFD.
 */
export function jsonb(value: unknown): RawBuilder<string> {
  if (value === undefined) throw new TypeError("jsonb cannot store undefined");
  return sql<string>`${jsonText(value)}::text::jsonb`;
}

/** JSON text that PostgreSQL's jsonb accepts: NUL characters and lone surrogates become U+FFFD. */
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(NUL_ESCAPE, "$1\\ufffd").replace(LONE_SURROGATE_ESCAPE, "$1\\ufffd");
}
