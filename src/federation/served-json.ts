// The last touch on every JSON-LD document Glose serves, for consumers that read the JSON as plain
// JSON rather than as JSON-LD. Fedify applies the same two fixes to the activities it delivers,
// but not to the documents it answers with. Applied to the parsed document, so that cached
// serialized bytes can go through it once.
import { PUBLIC_COLLECTION } from "@fedify/vocab";

// Where the public collection appears: addressing, and interaction policies (who may quote).
const ADDRESSING = new Set(["to", "cc", "bto", "bcc", "audience", "automaticApproval", "manualApproval"]);

/** Mastodon's term: the sites allowed to credit this actor as the author of a page. */
const ATTRIBUTION_DOMAINS_CONTEXT = {
  toot: "http://joinmastodon.org/ns#",
  attributionDomains: { "@id": "toot:attributionDomains", "@type": "@id" },
};

/**
 * - `attachment` is always an array (Mastodon ignores profile fields given as a lone object);
 * - the public collection is the full IRI, not `as:Public` (Lemmy, older Misskey, some Akkoma);
 * - the actor lists ORIGIN's host in `attributionDomains`, so that Mastodon credits it under
 *   link cards of the blog's pages.
 * Glose's documents use only Fedify's contexts, which redefine none of these terms.
 */
export function normalizeServedJson(document: unknown, origin: string): unknown {
  const normalized = normalize(document, undefined);
  if (!isRecord(normalized) || normalized.type !== "Person" || !isOnOrigin(normalized.id, origin)) return normalized;
  return {
    ...normalized,
    "@context": [...asArray(normalized["@context"]), ATTRIBUTION_DOMAINS_CONTEXT],
    attributionDomains: [new URL(origin).host],
  };
}

function normalize(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item, key));
  if (typeof value === "string") {
    return key !== undefined && ADDRESSING.has(key) && (value === "as:Public" || value === "Public") ? PUBLIC_COLLECTION.href : value;
  }
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    if (name === "@context") result[name] = item;
    else if (name === "attachment" && item !== null && !Array.isArray(item)) result[name] = [normalize(item, name)];
    else result[name] = normalize(item, name);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isOnOrigin(id: unknown, origin: string): boolean {
  return typeof id === "string" && URL.canParse(id) && new URL(id).origin === new URL(origin).origin;
}
