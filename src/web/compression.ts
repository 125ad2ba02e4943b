// Compressed answers: brotli or gzip, as the client's Accept-Encoding allows, for text (HTML,
// JSON, feeds, CSS, JavaScript, SVG) of 1 KB or more. Answers kept in memory (the read cache,
// static files) keep their compressed bytes beside the plain ones, so each version is compressed
// once per encoding; other answers are compressed as they stream out.
import { Readable } from "node:stream";
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync } from "node:zlib";
import type { MiddlewareHandler } from "hono";

export type Encoding = "br" | "gzip";

/** Below this, the encoding's own overhead eats most of the gain. */
export const MIN_COMPRESSED_BYTES = 1024;
const COMPRESSIBLE = /^(text\/|application\/([a-z.+-]*\+)?(json|xml|javascript)|image\/svg\+xml)/i;
/** Quality 5 compresses about as fast as gzip and a tenth smaller; 11 is for bytes made once at start. */
const BROTLI_QUALITY = 5;

/** How many bodies were compressed, by encoding: the cache should make this grow once per version. */
export const compressionCounts = { br: 0, gzip: 0 };

export function isCompressible(contentType: string | null | undefined, bytes: number): boolean {
  return bytes >= MIN_COMPRESSED_BYTES && COMPRESSIBLE.test(contentType ?? "");
}

/** The encoding to answer with: brotli before gzip at equal preference; undefined: identity. */
export function negotiateEncoding(acceptEncoding: string | null | undefined): Encoding | undefined {
  if (acceptEncoding === null || acceptEncoding === undefined || acceptEncoding === "") return undefined;
  let best: Encoding | undefined;
  let bestQ = 0;
  let wildcard: number | undefined;
  const quality = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...parameters] = part.trim().toLowerCase().split(";");
    const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
    const value = q === undefined ? 1 : Number(q);
    if (name === "*") wildcard = value;
    else quality.set(name.trim(), value);
  }
  for (const encoding of ["br", "gzip"] as const) {
    const q = quality.get(encoding) ?? (encoding === "gzip" ? quality.get("x-gzip") : undefined) ?? wildcard ?? 0;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

export function compress(body: Uint8Array, encoding: Encoding, quality = BROTLI_QUALITY): Uint8Array<ArrayBuffer> {
  compressionCounts[encoding]++;
  const bytes =
    encoding === "br"
      ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
      : gzipSync(body);
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

/** A strong ETag for one encoding of a representation: each encoding is a different one. */
export function encodedEtag(etag: string, encoding: Encoding | undefined): string {
  return encoding === undefined ? etag : etag.replace(/"$/, `-${encoding}"`);
}

export function addVary(current: string | null, name: string): string {
  if (current === null || current === "") return name;
  return current.split(",").some((part) => part.trim().toLowerCase() === name.toLowerCase()) ? current : `${current}, ${name}`;
}

/**
 * Compresses, as they stream, the answers no cache has compressed already. Downloads
 * (`Content-Disposition`) pass untouched: backups are gzip already, and an export streams as is.
 */
export function compression(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // Only the status and headers are read until compressing: reading `body` costs the server
    // its fast path for answers made of bytes in memory (what every cached answer is).
    const response = c.res;
    const headers = response.headers;
    if (response.status !== 200 || headers.has("content-encoding") || headers.has("content-disposition")) return;
    const length = headers.get("content-length");
    if (!COMPRESSIBLE.test(headers.get("content-type") ?? "") || (length !== null && Number(length) < MIN_COMPRESSED_BYTES)) return;
    headers.set("Vary", addVary(headers.get("vary"), "Accept-Encoding"));
    const encoding = negotiateEncoding(c.req.header("accept-encoding"));
    if (encoding === undefined) return;
    const etag = headers.get("etag");
    const encoded = new Headers(headers);
    encoded.set("Content-Encoding", encoding);
    encoded.delete("content-length");
    if (etag !== null) encoded.set("ETag", encodedEtag(etag, encoding));
    // Hono drops a HEAD answer's body itself; only the headers need to say what GET would send.
    if (c.req.method === "HEAD" || response.body === null) {
      c.res = undefined;
      c.res = new Response(null, { status: response.status, headers: encoded });
      return;
    }
    // The first kilobyte tells a small answer (sent as it is) from one worth compressing.
    const reader = response.body.getReader();
    const start: Uint8Array[] = [];
    let size = 0;
    let ended = false;
    while (!ended && size < MIN_COMPRESSED_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) ended = true;
      else {
        start.push(chunk.value);
        size += chunk.value.byteLength;
      }
    }
    if (ended && size < MIN_COMPRESSED_BYTES) {
      c.res = undefined;
      c.res = new Response(Buffer.concat(start), { status: response.status, headers });
      return;
    }
    const compressor =
      encoding === "br" ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }) : createGzip();
    compressionCounts[encoding]++;
    const source = Readable.from(rest(start, reader));
    source.on("error", (error) => compressor.destroy(error));
    const body = Readable.toWeb(source.pipe(compressor)) as ReadableStream<Uint8Array>;
    c.res = new Response(body, { status: response.status, headers: encoded });
  };
}

async function* rest(start: readonly Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* start;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    yield chunk.value;
  }
}
