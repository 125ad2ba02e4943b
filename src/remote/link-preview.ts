import { UrlError, validatePublicUrl } from "@fedify/vocab-runtime";
import { getLogger } from "@logtape/logtape";
import { charsetOf, encodingFor, HeadExtractor, parseHttpUrl, type LinkPreview } from "./page-head.ts";

// Fetches a linked page once, the way Mastodon servers will, and extracts what its
// link card shows. Only the page's <head> matters, so reading stops at </head> or <body>.

const logger = getLogger(["glose", "link-preview"]);

export type { LinkPreview };


export type LinkPreviewError =
  | "invalid-url"
  | "private-address"
  | "timeout"
  | "too-large"
  | "http-error"
  | "not-html"
  | "too-many-redirects"
  | "network";

export type LinkPreviewResult =
  | { ok: true; preview: LinkPreview }
  | { ok: false; error: LinkPreviewError; status?: number };

export interface LinkPreviewOptions {
  /** Lets the fetch reach loopback and private networks (development and tests only). */
  allowPrivateAddress: boolean;
  /** Covers the whole fetch, redirects and body included. Default 10 s. */
  timeoutMs?: number;
  /** Bytes of body read at most; the head is parsed from what arrived. Default 1 MiB. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Like `Glose/0.1.0 (+https://blog.example)`. */
  userAgent?: string;
  fetch?: typeof fetch;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

/** Fetches `url` and extracts its card; never throws for a bad page or network trouble. */
export async function fetchLinkPreview(url: string, options: LinkPreviewOptions): Promise<LinkPreviewResult> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  try {
    return await fetchPreview(url, options, signal);
  } catch (error) {
    logger.debug("Fetching a preview of {url} failed: {error}", { url, error });
    return failure(signal.aborted ? "timeout" : "network");
  }
}

async function fetchPreview(url: string, options: LinkPreviewOptions, signal: AbortSignal): Promise<LinkPreviewResult> {
  const fetchImpl = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  let current = parseHttpUrl(url);
  for (let redirects = 0; ; redirects++) {
    if (current === null) return failure("invalid-url");
    if (!options.allowPrivateAddress) {
      const refused = await checkPublic(current, signal);
      if (refused !== null) return refused;
    }
    logger.debug("Fetching {url} for a link preview", { url: current.href });
    const response = await fetchImpl(current.href, {
      redirect: "manual",
      signal,
      headers: { Accept: "text/html,application/xhtml+xml", "User-Agent": options.userAgent ?? "Glose" },
    });
    const { status } = response;
    if (REDIRECT_STATUSES.has(status)) {
      discard(response);
      const location = response.headers.get("location");
      if (location === null) return failure("http-error", status);
      if (redirects >= maxRedirects) return failure("too-many-redirects");
      current = parseHttpUrl(location, current);
      continue;
    }
    if (status < 200 || status > 299) {
      discard(response);
      return failure("http-error", status);
    }
    const contentType = parseContentType(response.headers.get("content-type"));
    if (!HTML_TYPES.has(contentType.type)) {
      discard(response);
      return failure("not-html");
    }
    if (Number(response.headers.get("content-length") ?? 0) > 10 * maxBytes) {
      discard(response);
      return failure("too-large");
    }
    const head = await readHead(response, current, contentType.charset, maxBytes);
    return { ok: true, preview: head?.preview(current) ?? { url: current.href } };
  }
}

function failure(error: LinkPreviewError, status?: number): LinkPreviewResult {
  return status === undefined ? { ok: false, error } : { ok: false, error, status };
}


/** Refuses loopback and private hosts, so that a posted link cannot probe our own network (link checks too). */
export async function checkPublic(url: URL, signal: AbortSignal): Promise<LinkPreviewResult | null> {
  try {
    await abortable(validatePublicUrl(url.href), signal);
    return null;
  } catch (error) {
    if (!(error instanceof UrlError)) throw error;
    // validatePublicUrl reports a failed DNS lookup as a UrlError with a cause: that is network trouble.
    if (error.cause !== undefined) throw error;
    logger.debug("Refused to fetch {url}: {error}", { url: url.href, error });
    return failure("private-address");
  }
}

/** DNS lookups take no signal, so the timeout races them. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function discard(response: Response): void {
  response.body?.cancel().catch(() => {});
}

function parseContentType(header: string | null): { type: string; charset?: string } {
  const [type = "", ...parameters] = (header ?? "").split(";");
  const charset = charsetOf(parameters.join(";"));
  return { type: type.trim().toLowerCase(), ...(charset === undefined ? {} : { charset }) };
}



function encodingFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return undefined;
}

/**
 * Reads the body as a stream until the head is parsed or `maxBytes` arrived. The encoding is the
 * BOM's, else the Content-Type's, else utf-8 until a <meta> declares another: then the bytes read
 * so far are parsed again, as browsers do.
 */
async function readHead(response: Response, url: URL, headerCharset: string | undefined, maxBytes: number) {
  if (response.body === null) return undefined;
  const reader = response.body.getReader();
  const received: Uint8Array[] = [];
  let total = 0;
  let head: HeadExtractor | undefined;
  let settled = headerCharset !== undefined;
  try {
    while (total < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value.subarray(0, maxBytes - total);
      total += chunk.length;
      if (!settled) received.push(chunk);
      if (head === undefined) {
        const bom = encodingFromBom(chunk);
        settled ||= bom !== undefined;
        head = new HeadExtractor(bom ?? encodingFor(headerCharset));
      }
      head.write(chunk);
      if (!settled && head.declaredEncoding !== undefined) {
        settled = true;
        if (head.declaredEncoding !== head.encoding) {
          head = new HeadExtractor(head.declaredEncoding);
          for (const bytes of received) head.write(bytes);
        }
        received.length = 0;
      }
      if (head.done) break;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  logger.debug("Read {bytes} bytes of {url}", { bytes: total, url: url.href });
  head?.end();
  return head;
}

