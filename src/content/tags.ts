/** Post tags and the hashtag names Mastodon accepts for them. Pure. */

/**
 * Shaarli-style tags: split on whitespace and commas, no leading `#`, NFC, no empties, first-seen
 * order. The case the owner typed is kept (#IA stays IA); two spellings of one tag (IA, ia) count
 * as one, the first kept. Accents are kept.
 */
export function normalizeTags(input: string | readonly string[]): string[] {
  const chunks = typeof input === "string" ? [input] : input;
  const tags: string[] = [];
  const keys = new Set<string>();
  for (const chunk of chunks) {
    for (const word of chunk.split(/[\s,]+/u)) {
      const tag = word.replace(/^#+/u, "").normalize("NFC");
      if (tag === "" || keys.has(tagKey(tag))) continue;
      keys.add(tagKey(tag));
      tags.push(tag);
    }
  }
  return tags;
}

/** What tags are matched by, whatever their case: `IA`, `ia` and `#Ia` are one tag. */
export function tagKey(tag: string): string {
  return tag.replace(/^#+/u, "").normalize("NFC").toLocaleLowerCase("fr");
}

/** Sorts names as a reader of `locale` expects: accents beside their letter, case ignored. */
export function collator(locale: string): Intl.Collator {
  return new Intl.Collator(locale, { sensitivity: "base", numeric: true });
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
