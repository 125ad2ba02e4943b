// One fetch of an actor's document for its first activities: the inbox fetches the signing key
// before Fedify verifies the signature (so that activities arriving together wait for one fetch,
// and Fedify finds the key in its key cache), and the actor lookup that follows in the queue
// reads the same document. Fedify's own verification still refetches a key that no longer
// verifies (a rotated key), with its own loader.
import { fetchKey, type KeyCache, type KvKey, type KvStore } from "@fedify/fedify";
import { CryptographicKey, Multikey } from "@fedify/vocab";
import type { DocumentLoader, RemoteDocument } from "@fedify/vocab-runtime";

/** Where Fedify keeps the public keys it fetched (its default, named here so both use the same). */
export const PUBLIC_KEY_PREFIX: KvKey = ["_fedify", "publicKey"];
/** How long a fetched document serves the lookups that follow it: the time to process a burst. */
const SHARED_FOR_MS = 60_000;
const MAX_SHARED = 1_000;

interface Shared {
  readonly until: number;
  readonly document: Promise<RemoteDocument>;
}

/** Documents fetched in this process for keys and actors, by URL without its fragment. */
const documents = new Map<string, Shared>();

/** `loader`, except that a fetch of the same document under way, or made in the last minute, is reused. */
export function sharedLoader(loader: DocumentLoader): DocumentLoader {
  return (url, options) => {
    const key = url.replace(/#.*$/, "");
    const now = Date.now();
    const shared = documents.get(key);
    if (shared !== undefined && shared.until > now) return shared.document;
    if (documents.size >= MAX_SHARED) {
      for (const [old, entry] of documents) if (entry.until <= now) documents.delete(old);
      if (documents.size >= MAX_SHARED) documents.clear();
    }
    const document = loader(url, options);
    const entry = { until: now + SHARED_FOR_MS, document };
    documents.set(key, entry);
    document.catch(() => {
      if (documents.get(key) === entry) documents.delete(key);
    });
    return document;
  };
}

/**
 * `loader`, except that a document a shared loader fetched in the last minute is taken (used once,
 * then forgotten): the actor lookup reads the document fetched for the key, and the next lookup,
 * a day later, fetches afresh.
 */
export function takingLoader(loader: DocumentLoader): DocumentLoader {
  return (url, options) => {
    const key = url.replace(/#.*$/, "");
    const shared = documents.get(key);
    if (shared === undefined || shared.until <= Date.now()) return loader(url, options);
    documents.delete(key);
    return shared.document;
  };
}

/** Fedify's key cache in its key–value store, written as Fedify writes it (keys as JSON-LD). */
function keyCacheOf(kv: KvStore, contextLoader: DocumentLoader): KeyCache {
  return {
    async get(keyId) {
      const stored = await kv.get<unknown>([...PUBLIC_KEY_PREFIX, keyId.href]);
      if (stored === undefined || stored === null) return undefined;
      return await CryptographicKey.fromJsonLd(stored, { contextLoader }).catch(() => Multikey.fromJsonLd(stored, { contextLoader }).catch(() => undefined));
    },
    async set(keyId, key) {
      // Failures are Fedify's to remember, with their expiry: only keys are written here.
      if (key !== null) await kv.set([...PUBLIC_KEY_PREFIX, keyId.href], await key.toJsonLd({ contextLoader }));
    },
  };
}

interface KeysSeen {
  /** Keys already in the key cache, as this process has seen: their requests go straight on. */
  readonly known: Set<string>;
  /** First fetches of keys under way: the other requests signed with the same key wait for them. */
  readonly underWay: Map<string, Promise<void>>;
}

/** By key–value store: each database has its own key cache. */
const keysSeen = new WeakMap<KvStore, KeysSeen>();

/**
 * Makes sure the key `keyId` is in Fedify's key cache before Fedify verifies a request signed
 * with it: fetched once (through `loader`, shared with the actor lookup) however many requests
 * arrive together. Never fails: a key that cannot be had is left for Fedify to refuse.
 */
export async function fetchSigningKeyOnce(keyId: URL, loaders: () => Promise<{ documentLoader: DocumentLoader; contextLoader: DocumentLoader }>, kv: KvStore): Promise<void> {
  let seen = keysSeen.get(kv);
  if (seen === undefined) keysSeen.set(kv, (seen = { known: new Set(), underWay: new Map() }));
  const { known, underWay: keysUnderWay } = seen;
  if (known.has(keyId.href)) return;
  let underWay = keysUnderWay.get(keyId.href);
  if (underWay === undefined) {
    underWay = (async () => {
      const { documentLoader, contextLoader } = await loaders();
      const key = await fetchKey(keyId, CryptographicKey, { documentLoader: sharedLoader(documentLoader), contextLoader, keyCache: keyCacheOf(kv, contextLoader) });
      if (key !== null) {
        if (known.size >= 10 * MAX_SHARED) known.clear();
        known.add(keyId.href);
      }
    })()
      .catch(() => {})
      .finally(() => keysUnderWay.delete(keyId.href));
    keysUnderWay.set(keyId.href, underWay);
  }
  await underWay;
}

/** The key id a request is signed with (draft-cavage `Signature` or RFC 9421 `Signature-Input`), if any. */
export function signingKeyId(headers: Headers): URL | null {
  const signature = headers.get("signature");
  const id = /keyId="([^"]+)"/i.exec(signature ?? "")?.[1] ?? /keyid="([^"]+)"/i.exec(headers.get("signature-input") ?? "")?.[1];
  return id !== undefined && URL.canParse(id) ? new URL(id) : null;
}
