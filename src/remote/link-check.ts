// Checks that a post's link still answers, as politely as a browser would: HEAD first, GET when
// HEAD is refused or says nothing useful, redirects followed by hand so that a permanent move
// can be told from a temporary one. The private-address guard is link previews'.
import { getLogger } from "@logtape/logtape";
import { checkPublic, discard } from "./link-preview.ts";
import { parseHttpUrl } from "./page-head.ts";

const logger = getLogger(["glose", "link-check"]);

export interface LinkCheckOptions {
  /** Lets the check reach loopback and private networks (development and tests only). */
  readonly allowPrivateAddress: boolean;
  /** Covers the whole check, both methods and every redirect. Default 15 s. */
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
  readonly userAgent?: string;
  readonly fetch?: typeof fetch;
}

/**
 * alive: a 2xx at the end; gone: 404 or 410, or a name that no longer resolves; failed: anything
 * else (5xx, timeouts, refused connections), which only a week of repeats makes dead; refused:
 * the guard would not contact it.
 */
export type LinkOutcome = "alive" | "gone" | "failed" | "refused";

export interface LinkCheckResult {
  readonly outcome: LinkOutcome;
  readonly httpStatus: number | null;
  /** Where the leading permanent redirects (301, 308) lead; null without any. */
  readonly movedTo: string | null;
  readonly error: string | null;
}

const PERMANENT = new Set([301, 308]);
const TEMPORARY = new Set([302, 303, 307]);
const GONE = new Set([404, 410]);

export async function checkLink(url: string, options: LinkCheckOptions): Promise<LinkCheckResult> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  let movedTo: string | null = null;
  try {
    let result = await follow(url, "HEAD", options, signal);
    movedTo = result.movedTo;
    // Many servers refuse HEAD (405, 501) or answer it differently: GET has the last word.
    if (result.outcome !== "alive" && result.outcome !== "refused" && result.httpStatus !== null && !GONE.has(result.httpStatus)) {
      result = await follow(url, "GET", options, signal);
    }
    return result;
  } catch (error) {
    logger.debug("Checking {url} failed: {error}", { url, error });
    if (signal.aborted) return { outcome: "failed", httpStatus: null, movedTo, error: "timeout" };
    const code = errorCode(error);
    return { outcome: code === "ENOTFOUND" ? "gone" : "failed", httpStatus: null, movedTo, error: code ?? "network" };
  }
}

async function follow(url: string, method: "HEAD" | "GET", options: LinkCheckOptions, signal: AbortSignal): Promise<LinkCheckResult> {
  const fetchImpl = options.fetch ?? fetch;
  const maxRedirects = options.maxRedirects ?? 10;
  let current = parseHttpUrl(url);
  let movedTo: string | null = null;
  let permanentSoFar = true;
  for (let redirects = 0; ; redirects++) {
    if (current === null) return { outcome: "failed", httpStatus: null, movedTo, error: "invalid-url" };
    if (!options.allowPrivateAddress && (await checkPublic(current, signal)) !== null) {
      return { outcome: "refused", httpStatus: null, movedTo, error: "private-address" };
    }
    const response = await fetchImpl(current.href, {
      method,
      redirect: "manual",
      signal,
      headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8", "User-Agent": options.userAgent ?? "Glose" },
    });
    discard(response);
    const { status } = response;
    const location = response.headers.get("location");
    if ((PERMANENT.has(status) || TEMPORARY.has(status)) && location !== null) {
      if (redirects >= maxRedirects) return { outcome: "failed", httpStatus: status, movedTo, error: "too-many-redirects" };
      current = parseHttpUrl(location, current);
      permanentSoFar &&= PERMANENT.has(status);
      if (permanentSoFar && current !== null) movedTo = current.href;
      continue;
    }
    if (status >= 200 && status <= 299) return { outcome: "alive", httpStatus: status, movedTo, error: null };
    return { outcome: GONE.has(status) ? "gone" : "failed", httpStatus: status, movedTo, error: null };
  }
}

/** The system error code (ENOTFOUND, ECONNREFUSED…) anywhere in an error's chain of causes. */
function errorCode(error: unknown): string | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string") return code;
  }
  return null;
}
