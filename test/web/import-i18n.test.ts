// Every import problem and failure has its French message, with the values it quotes, in French
// typography; the English ones stay those the command line has always printed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { failureText, IMPORT_MESSAGES_EN, problemText, type ImportFailure, type ImportFailureCode, type ImportProblemCode } from "../../src/content/import-failures.ts";
import { importMessages } from "../../src/web/import-i18n.ts";

/** One failure of each kind: the type makes this list complete. */
const FAILURES: { [C in ImportFailureCode]: Extract<ImportFailure, { code: C }> } = {
  "not-netscape": { code: "not-netscape" },
  "not-utf8": { code: "not-utf8", line: 1234, byte: 56789 },
  "not-utf8-at-end": { code: "not-utf8-at-end", line: 1234 },
  "ends-inside-link": { code: "ends-inside-link", line: 1234 },
  "ends-inside-folder": { code: "ends-inside-folder", line: 1234 },
  "title-too-long": { code: "title-too-long", line: 1234, limit: 1000 },
  "description-too-long": { code: "description-too-long", line: 1234, limit: 100000 },
  "folder-name-too-long": { code: "folder-name-too-long", line: 1234, limit: 1000 },
  "url-too-long": { code: "url-too-long", line: 1234, limit: 8000 },
  "folders-too-deep": { code: "folders-too-deep", line: 1234, limit: 100 },
  "folder-not-open": { code: "folder-not-open", line: 1234 },
  "empty-link": { code: "empty-link", line: 1234 },
  "not-datastore": { code: "not-datastore" },
  "datastore-too-large": { code: "datastore-too-large" },
  "not-base64": { code: "not-base64" },
  "inflates-too-large": { code: "inflates-too-large", limit: 536870912 },
  "not-deflated": { code: "not-deflated" },
  unserialize: { code: "unserialize", php: { code: "unsupported-type", char: "r", byte: 1234 } },
  "not-link-list": { code: "not-link-list" },
  "entry-not-link": { code: "entry-not-link", entry: 1234 },
  "entry-field-not-text": { code: "entry-field-not-text", entry: 1234, field: "title" },
  "entry-bad-date": { code: "entry-bad-date", entry: 1234, date: "2020-13-01 12:00:00 Europe/Paris" },
  "api-unreachable": { code: "api-unreachable", host: "links.example", reason: "fetch failed" },
  "api-secret-refused": { code: "api-secret-refused" },
  "api-status": { code: "api-status", path: "/api/v1/links", status: 503 },
  "api-not-json": { code: "api-not-json", path: "/api/v1/links" },
  "api-not-array": { code: "api-not-array" },
  "api-bad-address": { code: "api-bad-address" },
  "api-not-object": { code: "api-not-object", link: 1234 },
  "api-field-not-text": { code: "api-field-not-text", link: 1234, field: "url" },
};

const PROBLEMS: readonly ImportProblemCode[] = ["invalid-url", "empty", "too-long", "invalid-visibility", "not-found", "duplicate"];

/** French typography: no plain space before : ; ? ! or », none after «, no straight apostrophe (quoted code aside). */
function assertFrenchTypography(text: string): void {
  assert.doesNotMatch(text.replace(/«\u202F[^»]*\u202F»/g, "«»"), / [:;?!»]|« |'/, text);
}

describe("import messages", () => {
  const fr = importMessages("fr");

  it("keeps the English messages the command line prints", () => {
    assert.equal(importMessages("en"), IMPORT_MESSAGES_EN);
    assert.equal(problemText({ place: { unit: "line", number: 12 }, code: "invalid-url" }), "line 12: not a web address");
    assert.equal(problemText({ place: { unit: "entry", number: 3 }, code: "duplicate" }), "entry 3: already posted");
    assert.equal(failureText(FAILURES["ends-inside-folder"]), "line 1234: the file ends inside a folder (is it truncated?)");
    assert.equal(failureText(FAILURES["title-too-long"]), "line 1234: a title longer than 1000 characters");
    assert.equal(failureText(FAILURES.unserialize), 'datastore.php: an unsupported value type "r" at byte 1234');
    assert.equal(failureText(FAILURES["api-status"]), "Shaarli API: /api/v1/links answered 503");
    assert.equal(failureText(FAILURES["entry-bad-date"]), 'datastore.php, entry 1234: unreadable date "2020-13-01 12:00:00 Europe/Paris"');
  });

  it("words every per-link problem in French, at its place", () => {
    for (const code of PROBLEMS) {
      for (const unit of ["line", "entry", "link"] as const) {
        const text = problemText({ place: { unit, number: 12 }, code }, fr);
        assert.notEqual(text, problemText({ place: { unit, number: 12 }, code }));
        assert.match(text, /^(ligne|entrée|lien) 12\u00A0: \S/);
        assertFrenchTypography(text);
      }
    }
    assert.equal(problemText({ place: { unit: "line", number: 12 }, code: "invalid-url" }, fr), "ligne 12\u00A0: pas une adresse web");
  });

  it("words every failure in French, with its values, numbers grouped the French way", () => {
    for (const failure of Object.values(FAILURES)) {
      const text = failureText(failure, fr);
      assert.notEqual(text, failureText(failure), failure.code);
      assertFrenchTypography(text);
      if ("line" in failure) assert.match(text, /^ligne 1\u202F234\u00A0: /);
      if ("entry" in failure) assert.match(text, /entrée 1\u202F234\u00A0: /);
      if ("link" in failure) assert.match(text, /lien 1\u202F234\u00A0: /);
      for (const value of ["limit", "byte"] as const) {
        if (value in failure) assert.ok(text.includes((failure as unknown as Record<string, number>)[value]!.toLocaleString("fr-FR")), text);
      }
      for (const value of ["field", "date", "host", "reason", "path"] as const) {
        if (value in failure) assert.ok(text.includes((failure as unknown as Record<string, string>)[value]!), text);
      }
    }
    assert.equal(failureText(FAILURES["api-status"], fr), "API Shaarli\u00A0: /api/v1/links a répondu 503");
    assert.match(failureText(FAILURES["not-netscape"], fr), /<!DOCTYPE NETSCAPE-Bookmark-file-1>/);
    assert.match(failureText(FAILURES["not-deflated"], fr), /\(gzdeflate\)/);
    assert.equal(failureText(FAILURES.unserialize, fr), "datastore.php\u00A0: un type de valeur non pris en charge «\u202Fr\u202F» à l’octet 1\u202F234");
    assert.equal(failureText(FAILURES["ends-inside-link"], fr), "ligne 1\u202F234\u00A0: le fichier s’arrête au milieu d’un lien (est-il tronqué\u202F?)");
  });
});
