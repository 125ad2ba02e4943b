// Seeded mutations of ActivityPub payloads for the inbox fuzz test: the same seed gives the same
// mutations, so a failure can be replayed.
import { xssVectors } from "../fixtures/xss-vectors.ts";

export type Random = () => number;

/** mulberry32: small, fast and good enough to pick mutations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// Another origin on loopback that refuses connections at once, so that fetches fail fast.
const OTHER_ORIGIN = "http://127.0.0.2:9";

const strangeStrings = [
  "a\u0000b",
  "\u0000",
  "\u0001\u0002\u0003\u0007\u001b[31m\u007f",
  "\ud800",
  "\udfff lone",
  "\u202egnp.exe",
  "\u200b\u200c\u200d\ufeff",
  "👩‍👩‍👧‍👦",
  "e\u0301\u0301\u0301\u0301\u0301",
  "𝕬𝖑𝖎𝖈𝖊",
  "\u{10ffff}",
  "",
  " ",
  "<p>ok</p>",
  ...xssVectors,
];

const strangeUrls = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "data:image/png;base64,AAAA",
  "vbscript:msgbox(1)",
  "file:///etc/passwd",
  "ftp://127.0.0.1/x",
  "http://",
  "https://[::1",
  "not a url",
  "//127.0.0.2:9/x",
  "http://127.0.0.2:9/other-origin",
  `${OTHER_ORIGIN}/users/mallory`,
  "https://a\u0000b.example/",
  "mailto:alice@example.org",
];

const contexts = [
  "https://example.invalid/context.jsonld",
  42,
  null,
  [],
  {},
  ["https://www.w3.org/ns/activitystreams", { "@version": 1.1, "@protected": true, content: "@id" }],
  ["https://www.w3.org/ns/activitystreams", { type: "@id", id: "@type" }],
  "https://www.w3.org/ns/activitystreams#",
];

function strangeValue(random: Random): unknown {
  switch (Math.floor(random() * 7)) {
    case 0:
      return pick(random, strangeStrings);
    case 1:
      return pick(random, strangeUrls);
    case 2:
      return pick(random, [0, -1, 1e308, -0, 3.5, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
      return pick(random, [null, true, false]);
    case 4:
      return pick(random, [[], [null], [1, "a", {}], [pick(random, strangeUrls), pick(random, strangeStrings)]]);
    case 5:
      return pick(random, [{}, { id: pick(random, strangeUrls) }, { type: "Note", content: pick(random, strangeStrings) }, { "@value": "x", "@language": "zz" }]);
    default:
      return hugeString(random);
  }
}

function hugeString(random: Random): string {
  const unit = pick(random, ["a", "é", "<b>", "\u0000", "😀", "<p><script>alert(1)</script></p>"]);
  return unit.repeat(Math.floor(20_000 + random() * 180_000) / unit.length);
}

/** Deep but legal nesting: objects in arrays in objects. */
function deepValue(random: Random, depth = 20 + Math.floor(random() * 60)): unknown {
  let value: unknown = pick(random, strangeStrings);
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { type: "Object", content: value };
  return value;
}

type Json = Record<string, unknown>;

/** Every (container, key) pair reachable in `value`, so that one can be picked at random. */
function slots(value: unknown, out: [Json | unknown[], string | number][] = []): [Json | unknown[], string | number][] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([value, index]);
      slots(item, out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      out.push([value as Json, key]);
      slots(item, out);
    }
  }
  return out;
}

function swapType(value: unknown, random: Random): unknown {
  if (typeof value === "string") return pick(random, [Number(value.length), [value], { id: value }, null, value.length > 0]);
  if (typeof value === "number") return pick(random, [String(value), [value], null]);
  if (Array.isArray(value)) return pick(random, [value[0] ?? null, JSON.stringify(value), {}, value.length]);
  if (value !== null && typeof value === "object") return pick(random, [Object.values(value)[0] ?? null, [value], "object", 7]);
  return pick(random, ["", 0, [], {}]);
}

function otherOrigin(value: unknown): unknown {
  if (typeof value !== "string") return `${OTHER_ORIGIN}/objects/1`;
  try {
    const url = new URL(value);
    return `${OTHER_ORIGIN}${url.pathname}${url.search}${url.hash}`;
  } catch {
    return `${OTHER_ORIGIN}/${encodeURIComponent(value)}`;
  }
}

/** The payload to send: an object (serialized by the peer) or raw JSON text. */
export type Mutated = { activity: unknown } | { raw: string };

/** Applies one to three random mutations to a deep copy of `activity`. */
export function mutate(activity: Json, random: Random): Mutated {
  const copy = structuredClone(activity);
  const count = 1 + Math.floor(random() * 3);
  for (let index = 0; index < count; index++) {
    const all = slots(copy);
    const [container, key] = pick(random, all);
    const current = (container as Record<string | number, unknown>)[key];
    const set = (value: unknown) => ((container as Record<string | number, unknown>)[key] = value);
    switch (Math.floor(random() * 9)) {
      case 0:
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      case 1:
        set(swapType(current, random));
        break;
      case 2:
        set(strangeValue(random));
        break;
      case 3:
        set(typeof current === "string" ? `${current}${pick(random, strangeStrings)}` : pick(random, strangeStrings));
        break;
      case 4:
        set(pick(random, strangeUrls));
        break;
      case 5:
        set(otherOrigin(current));
        break;
      case 6:
        set(deepValue(random));
        break;
      case 7:
        copy["@context"] = pick(random, contexts);
        break;
      default:
        // Top-level fields that every listener reads first.
        copy[pick(random, ["id", "type", "actor", "object", "to", "cc", "target", "instrument", "content"])] = strangeValue(random);
    }
  }
  if (random() < 0.08) return { raw: duplicateKey(copy, random) };
  return { activity: copy };
}

/** JSON with a top-level key written twice: the strange value first or last. */
function duplicateKey(activity: Json, random: Random): string {
  const key = pick(random, ["id", "type", "actor", "object"]);
  const text = JSON.stringify(activity);
  const extra = `${JSON.stringify(key)}:${JSON.stringify(strangeValue(random))}`;
  if (text === "{}") return `{${extra},${extra}}`;
  return random() < 0.5 ? `{${extra},${text.slice(1)}` : `${text.slice(0, -1)},${extra}}`;
}
