/** Post tags and the hashtag names Mastodon accepts for them. Pure. */

/**
 * Shaarli-style tags: split on whitespace and commas, no leading `#`, lowercase (French
 * rules), NFC, no empties or duplicates, first-seen order. Accents are kept.
 */
export function normalizeTags(input: string | readonly string[]): string[] {
  const chunks = typeof input === "string" ? [input] : input;
  const tags: string[] = [];
  for (const chunk of chunks) {
    for (const word of chunk.split(/[\s,]+/u)) {
      const tag = word.replace(/^#+/u, "").toLocaleLowerCase("fr").normalize("NFC");
      if (tag !== "" && !tags.includes(tag)) tags.push(tag);
    }
  }
  return tags;
}

// Mastodon's Tag::HASHTAG_NAME_PAT (app/models/tag.rb, 4.x) in JavaScript. Onigmo's [[:word:]]
// is \p{L}\p{M}\p{Nd}\p{Pc}; the separators are `_`, middle dot, katakana middle dot and ZWNJ.
// \p{L} stands for Ruby's [[:alpha:]], which it never exceeds, so what we send is accepted.
const WORD = String.raw`\p{L}\p{M}\p{Nd}\p{Pc}`;
const SEPARATORS = String.raw`_\u00B7\u30FB\u200C`;
const MASTODON_HASHTAG_NAME = new RegExp(
  String.raw`^(?:[${WORD}][${WORD}${SEPARATORS}]*[\p{L}${SEPARATORS}][${WORD}${SEPARATORS}]*[${WORD}]` +
    String.raw`|[${WORD}]*\p{L}[${WORD}]*)$`,
  "u",
);
/** Mastodon's HASHTAG_INVALID_CHARS_RE: it deletes everything but [[:alnum:]] and separators. */
const INVALID_HASHTAG_CHARS = new RegExp(String.raw`[^\p{L}\p{M}\p{Nd}${SEPARATORS}]+`, "u");
const EDGE_SEPARATORS = /^[\u00B7\u30FB\u200C]+|[\u00B7\u30FB\u200C]+$/gu;

/**
 * The hashtag name Mastodon accepts for a tag (letters, digits, `_` and middle dots, with at
 * least one letter), or null: `logiciel-libre` → `logiciel_libre`, `économie` stays, `2026` → null.
 * Invalid characters become `_` rather than vanishing as in Mastodon, so words stay apart.
 */
export function hashtagName(tag: string): string | null {
  const name = tag
    .normalize("NFKC")
    .replace(/^[#＃]+/u, "")
    .split(INVALID_HASHTAG_CHARS)
    .filter((part) => part !== "")
    .join("_")
    .replace(EDGE_SEPARATORS, "");
  return MASTODON_HASHTAG_NAME.test(name) && /\p{L}/u.test(name) ? name : null;
}

/** The blog page of a tag, which hashtags link to: absolute, as Mastodon requires. */
export function tagPageUrl(origin: string | URL, tag: string): string {
  return new URL(`/tags/${encodeURIComponent(tag)}`, origin).href;
}
