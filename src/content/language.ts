/**
 * A post's language, when nobody said it: detected from its text with ELD (Efficient Language
 * Detector, n-grams, 60 languages), and the languages the editor offers. Pure.
 */
type Detector = (typeof import("eld/small"))["eld"];

// ELD's n-gram tables take about 170 MB and 0.4 s to load: loaded at the first detection (a post
// being written), not at start-up, nor by processes that only serve reads.
let detector: Promise<Detector> | undefined;

/** Scores closer than this (French and Catalan on "Un article important") mean "unsure". */
const MARGIN = 0.02;

/**
 * Characters of text read: as reliable as ELD's own 1,000 on the French sample corpus, in half
 * the time (imports detect the language of every link).
 */
const SAMPLE = 500;

/** The ISO 639-1 code of the text's language, or null when the text is too short or ambiguous. */
export async function detectLanguage(text: string): Promise<string | null> {
  // Links, handles and hashtags say nothing of the language they are written in.
  const words = text.slice(0, SAMPLE * 4).replace(/\bhttps?:\/\/\S+|[@#]\S+/gu, " ").slice(0, SAMPLE);
  detector ??= import("eld/small").then((module) => module.eld);
  const result = (await detector).detect(words);
  if (result.language === "" || !result.isReliable()) return null;
  const [first = 0, second = 0] = Object.values(result.getScores()).sort((a, b) => b - a);
  return first - second >= MARGIN ? result.language : null;
}

/**
 * The languages a post may be written in (ISO 639-1): those Mastodon's filters and the search's
 * stemmers know best, each named in itself ("français", "English").
 */
export const POST_LANGUAGES: readonly string[] = [
  "ar", "bg", "br", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fr",
  "ga", "gl", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ko", "lt", "lv", "nb", "nl", "nn",
  "oc", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "ta", "th", "tr", "uk", "vi", "yi", "zh",
];

/** A language's name in that language, capitalized as it writes it: "français", "English". */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The first of the browser's Accept-Language choices that a post may be written in, or null. */
export function preferredLanguage(acceptLanguage: string | undefined): string | null {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", quality = "q=1"] = part.trim().split(";");
      return { code: tag.trim().toLowerCase().split("-")[0] ?? "", quality: Number(quality.trim().slice(2)) || 0 };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality);
  return ranked.find((entry) => POST_LANGUAGES.includes(entry.code))?.code ?? null;
}
