// What can go wrong in an import, as data: where a link sits, what was wrong with one link, why a
// whole source was refused. Messages are built from it in the reader's language; the English ones
// here are also those of the command line and the logs.
import { PHP_FAILURES_EN, type PhpFailure, type PhpFailureTexts } from "./php-unserialize.ts";

/** Where a link sits in its source: a Netscape file's line, a datastore's entry, the API's link. */
export interface Place {
  readonly unit: "line" | "entry" | "link";
  readonly number: number;
}

/** Why one link was not imported (the others were). */
export type ImportProblemCode = "invalid-url" | "empty" | "too-long" | "invalid-visibility" | "not-found" | "duplicate";

export interface ImportProblem {
  readonly place: Place;
  readonly code: ImportProblemCode;
}

/** The values each failure's message quotes. */
interface FailureValues {
  // Netscape bookmark files.
  "not-netscape": {};
  "not-utf8": { line: number; byte: number };
  "not-utf8-at-end": { line: number };
  "ends-inside-link": { line: number };
  "ends-inside-folder": { line: number };
  "title-too-long": { line: number; limit: number };
  "description-too-long": { line: number; limit: number };
  "folder-name-too-long": { line: number; limit: number };
  "url-too-long": { line: number; limit: number };
  "folders-too-deep": { line: number; limit: number };
  "folder-not-open": { line: number };
  "empty-link": { line: number };
  // Shaarli's datastore.php.
  "not-datastore": {};
  "datastore-too-large": {};
  "not-base64": {};
  "inflates-too-large": { limit: number };
  "not-deflated": {};
  unserialize: { php: PhpFailure };
  "not-link-list": {};
  "entry-not-link": { entry: number };
  "entry-field-not-text": { entry: number; field: string };
  "entry-bad-date": { entry: number; date: string };
  // A live Shaarli's API.
  "api-unreachable": { host: string; reason: string };
  "api-secret-refused": {};
  "api-status": { path: string; status: number };
  "api-not-json": { path: string };
  "api-not-array": {};
  "api-bad-address": {};
  "api-not-object": { link: number };
  "api-field-not-text": { link: number; field: string };
}

export type ImportFailureCode = keyof FailureValues;

/** Why a whole source was refused (nothing from it is imported): a code and its values. */
export type ImportFailure = { [C in ImportFailureCode]: { readonly code: C } & Readonly<FailureValues[C]> }[ImportFailureCode];

/** One language's import messages. */
export interface ImportMessages {
  readonly place: (place: Place) => string;
  readonly problem: (place: string, text: string) => string;
  readonly problems: { readonly [C in ImportProblemCode]: string };
  readonly failures: { readonly [C in ImportFailureCode]: (values: FailureValues[C]) => string };
  readonly php: PhpFailureTexts;
  /** A failure that is not the source's fault. */
  readonly unexpected: string;
}

export const IMPORT_MESSAGES_EN: ImportMessages = {
  place: ({ unit, number }) => `${unit} ${number}`,
  problem: (place, text) => `${place}: ${text}`,
  problems: {
    "invalid-url": "not a web address",
    empty: "neither an address nor a title",
    "too-long": "a title or description too long",
    "invalid-visibility": "an invalid visibility",
    "not-found": "the post to update is gone",
    duplicate: "already posted",
  },
  failures: {
    "not-netscape": () => "line 1: not a Netscape bookmark file (no <!DOCTYPE NETSCAPE-Bookmark-file-1>)",
    "not-utf8": ({ line, byte }) => `line ${line}: the file is not UTF-8 text (near byte ${byte})`,
    "not-utf8-at-end": ({ line }) => `line ${line}: the file is not UTF-8 text (it ends inside a character)`,
    "ends-inside-link": ({ line }) => `line ${line}: the file ends inside a link (is it truncated?)`,
    "ends-inside-folder": ({ line }) => `line ${line}: the file ends inside a folder (is it truncated?)`,
    "title-too-long": ({ line, limit }) => `line ${line}: a title longer than ${limit} characters`,
    "description-too-long": ({ line, limit }) => `line ${line}: a description longer than ${limit} characters`,
    "folder-name-too-long": ({ line, limit }) => `line ${line}: a folder name longer than ${limit} characters`,
    "url-too-long": ({ line, limit }) => `line ${line}: a link longer than ${limit} characters`,
    "folders-too-deep": ({ line, limit }) => `line ${line}: folders nested deeper than ${limit} levels`,
    "folder-not-open": ({ line }) => `line ${line}: a </DL> without its <DL>`,
    "empty-link": ({ line }) => `line ${line}: a link without an address or a title`,
    "not-datastore": () => "not a Shaarli datastore.php (it must start with `<?php /* ` and end with ` */ ?>`)",
    "datastore-too-large": () => "datastore.php: the file is too large",
    "not-base64": () => "datastore.php: the data is not base64",
    "inflates-too-large": ({ limit }) => `datastore.php: the data inflates to more than ${limit} bytes`,
    "not-deflated": () => "datastore.php: the data is not deflated (gzdeflate)",
    unserialize: ({ php }) => `datastore.php: ${phpText(php, IMPORT_MESSAGES_EN)} at byte ${php.byte}`,
    "not-link-list": () => "datastore.php: the data is not a list of links",
    "entry-not-link": ({ entry }) => `datastore.php, entry ${entry}: not a link`,
    "entry-field-not-text": ({ entry, field }) => `datastore.php, entry ${entry}: ${field} is not text`,
    "entry-bad-date": ({ entry, date }) => `datastore.php, entry ${entry}: unreadable date "${date}"`,
    "api-unreachable": ({ host, reason }) => `Shaarli API: cannot reach ${host} (${reason})`,
    "api-secret-refused": () => "Shaarli API: the instance refused the API secret",
    "api-status": ({ path, status }) => `Shaarli API: ${path} answered ${status}`,
    "api-not-json": ({ path }) => `Shaarli API: ${path} did not answer JSON`,
    "api-not-array": () => "Shaarli API: the list of links is not an array",
    "api-bad-address": () => "Shaarli API: the instance's address must be an http(s) URL",
    "api-not-object": ({ link }) => `Shaarli API, link ${link}: not an object`,
    "api-field-not-text": ({ link, field }) => `Shaarli API, link ${link}: ${field} is not text`,
  },
  php: PHP_FAILURES_EN,
  unexpected: "the import failed; see the server's log",
};

export function problemText(problem: ImportProblem, messages = IMPORT_MESSAGES_EN): string {
  return messages.problem(messages.place(problem.place), messages.problems[problem.code]);
}

export function failureText(failure: ImportFailure, messages = IMPORT_MESSAGES_EN): string {
  return (messages.failures[failure.code] as (values: ImportFailure) => string)(failure);
}

/** What the PHP reader found wrong, without the byte. */
export function phpText(failure: PhpFailure, messages = IMPORT_MESSAGES_EN): string {
  return (messages.php[failure.code] as (values: PhpFailure) => string)(failure);
}
