// Serialized answers kept in memory, each with the version of the data it was built from. The
// database notifies every process at commit of what changed (triggers of the read-cache
// migration), and an answer is served again only while nothing it depends on has changed since.
import { createHash } from "node:crypto";
import type { Database } from "../data/client.ts";
import type { ReadScope } from "../data/read-changes.ts";
import { compress, isCompressible, negotiateEncoding, encodedEtag, type Encoding } from "./compression.ts";

/** The kinds of data an answer depends on; the read-cache migration's triggers name the same. */
export type Scope = ReadScope;
export const SCOPES: readonly Scope[] = ["posts", "profile", "followers", "interactions", "links"];

const CHANNEL = "glose_read_changes";
/** Some answers also change with time alone (NodeInfo's active users): none is kept longer. */
const MAX_AGE_MS = 3600_000;

export interface CachedAnswer {
  readonly status: number;
  /** Lower-case names, as a plain object: Node's server writes it without building a Headers. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array<ArrayBuffer>;
  /** A strong ETag: the hash of the body. */
  readonly etag: string;
  /** Whether the body is worth compressing (text of 1 KB or more). */
  readonly compressible: boolean;
  /** The body compressed, by encoding: filled once, at the first request that asks for it. */
  readonly encoded: Partial<Record<Encoding, Uint8Array<ArrayBuffer>>>;
}

export type Flight =
  | { readonly leader: false; readonly answer: Promise<CachedAnswer | undefined> }
  | { readonly leader: true; finish(answer: CachedAnswer | undefined): void };

interface Entry {
  readonly stamp: string;
  readonly storedAt: number;
  readonly answer: CachedAnswer;
}

export class ReadCache {
  /** Answers rendered because none was cached; answers served from the cache. */
  readonly counts = { rendered: 0, served: 0 };
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  /** Renders under way, by stamp and key: concurrent misses wait for them. */
  readonly #renders = new Map<string, Promise<CachedAnswer | undefined>>();
  readonly #generations = new Map<Scope, number>(SCOPES.map((scope) => [scope, 0]));
  #changes = 0;
  #bytes = 0;
  /** Nothing is cached until notifications are sure to arrive. */
  #listening = false;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Follows the database's change notifications; resolves to a function that stops. */
  async listen(database: Pick<Database, "listen">): Promise<() => Promise<void>> {
    const stop = await database.listen(CHANNEL, (scope) => this.changed(scope), () => this.#lost());
    this.#listening = true;
    return async () => {
      this.#lost();
      await stop();
    };
  }

  /** `scope` changed; null: anything may have (notifications were missed). */
  changed(scope: string | null): void {
    const change = ++this.#changes;
    if (scope !== null && this.#generations.has(scope as Scope)) {
      this.#generations.set(scope as Scope, change);
      return;
    }
    for (const known of SCOPES) this.#generations.set(known, change);
    this.#listening = true;
  }

  /** The version of the data in `scopes` now, or null when nothing may be cached. */
  stamp(scopes: readonly Scope[]): string | null {
    if (!this.#listening || this.#maxBytes === 0) return null;
    return scopes.map((scope) => this.#generations.get(scope)).join(".");
  }

  get(key: string, stamp: string): CachedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.stamp !== stamp || Date.now() - entry.storedAt > MAX_AGE_MS) return undefined;
    // Most recently used last: eviction takes the first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    this.counts.served++;
    return entry.answer;
  }

  /**
   * The render of `key` at `stamp` already under way, to wait for (its answer, or undefined when
   * it had none to share); else this request leads, and calls `finish` once it has rendered.
   * Fifty requests arriving together after a change then cost one render, not fifty.
   */
  join(key: string, stamp: string): Flight {
    const id = `${stamp} ${key}`;
    const under = this.#renders.get(id);
    if (under !== undefined) return { leader: false, answer: under };
    let resolve: (answer: CachedAnswer | undefined) => void = () => {};
    const promise = new Promise<CachedAnswer | undefined>((done) => (resolve = done));
    this.#renders.set(id, promise);
    return {
      leader: true,
      finish: (answer) => {
        if (this.#renders.get(id) === promise) this.#renders.delete(id);
        resolve(answer);
      },
    };
  }

  set(key: string, stamp: string, answer: CachedAnswer): void {
    this.#remove(key);
    if (answer.body.byteLength > this.#maxBytes / 8) return;
    this.#entries.set(key, { stamp, storedAt: Date.now(), answer });
    this.#bytes += size(key, answer);
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= size(key, entry.answer);
  }

  #lost(): void {
    this.#listening = false;
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/** Counted with room for its compressed copies, made later (text compresses to a third at most). */
function size(key: string, answer: CachedAnswer): number {
  return key.length + answer.body.byteLength * (answer.compressible ? 1.7 : 1) + 256;
}

/** Keeps a response's bytes and headers (never a cookie), with its ETag. */
export async function toCachedAnswer(response: Response): Promise<CachedAnswer> {
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "content-length" && name !== "set-cookie" && name !== "etag"));
  const compressible = isCompressible(response.headers.get("content-type"), body.byteLength);
  return { status: response.status, headers, body, etag: etagOf(body), compressible, encoded: {} };
}

/** The answer's body in `encoding`, compressed at the first request for it. */
export function encodedBody(answer: CachedAnswer, encoding: Encoding): Uint8Array<ArrayBuffer> {
  return (answer.encoded[encoding] ??= compress(answer.body, encoding));
}

export function etagOf(body: Uint8Array | string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** What a cached answer sends: status, headers (lower-case names, as a plain object) and body. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array<ArrayBuffer> | null;
}

/** What `reply` reads of a request: the Fetch request and Node's incoming one both give it. */
export interface ReplyRequest {
  readonly method: string;
  readonly acceptEncoding: string | null | undefined;
  readonly ifNoneMatch: string | null | undefined;
}

/**
 * The answer to a request, compressed as its Accept-Encoding allows: 304 when its If-None-Match
 * names the ETag of that encoding, else the answer, with its `Cache-Control` and `Vary`.
 */
export function reply(request: ReplyRequest, answer: CachedAnswer, cacheControl: string, vary: string): Reply {
  const encoding = answer.compressible ? negotiateEncoding(request.acceptEncoding) : undefined;
  const etag = encodedEtag(answer.etag, encoding);
  const headers: Record<string, string> = { ...answer.headers, etag, "cache-control": cacheControl };
  const varies = answer.compressible ? (vary === "" ? "Accept-Encoding" : `${vary}, Accept-Encoding`) : vary;
  if (varies !== "") headers.vary = varies;
  if (matchesEtag(request.ifNoneMatch, etag)) {
    delete headers["content-type"];
    return { status: 304, headers, body: null };
  }
  const head = request.method === "HEAD";
  if (encoding !== undefined) headers["content-encoding"] = encoding;
  // A HEAD answer says what GET would send without compressing anything.
  const body = encoding === undefined ? answer.body : head ? answer.encoded[encoding] : encodedBody(answer, encoding);
  if (body !== undefined) headers["content-length"] = String(body.byteLength);
  return { status: answer.status, headers, body: head || body === undefined ? null : body };
}

/** `reply` as a Response. The headers are a plain object: Node's server writes them without building a `Headers`. */
export function respond(request: Request, answer: CachedAnswer, cacheControl: string, vary: string): Response {
  const headers = request.headers;
  const { status, headers: replyHeaders, body } = reply(
    { method: request.method, acceptEncoding: headers.get("accept-encoding"), ifNoneMatch: headers.get("if-none-match") },
    answer,
    cacheControl,
    vary,
  );
  return new Response(body, { status, headers: replyHeaders });
}

/** RFC 9110's weak comparison against each tag of an If-None-Match list, `*` included. */
export function matchesEtag(header: string | null | undefined, etag: string): boolean {
  if (header === null || header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}
