// Failures that come from what another server sent, not from Glose: answered 400 at the inbox,
// and dropped (not retried) when a queued activity's listener meets them.
import { FetchError } from "@fedify/vocab-runtime";

/**
 * JSON-LD that cannot be expanded, a key that cannot be read, or a value of the wrong type that
 * the parsers trip on (an object where jsonld or Fedify's vocabulary reads a string: a TypeError
 * thrown while `fromJsonLd` runs); never a failure of Glose's own.
 */
export function isMalformedRemoteInput(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name.startsWith("jsonld.") || current.name === "AsnError" || current.name === "DataError") return true;
    if (current instanceof TypeError && thrownWhileParsing(current)) return true;
  }
  return false;
}

/** A frame of the error's (async) stack is Fedify's parsing of a document into its vocabulary. */
function thrownWhileParsing(error: Error): boolean {
  return (error.stack ?? "").split("\n").some((line) => /\bfromJsonLd\b/.test(line) && line.includes("@fedify/vocab"));
}

/**
 * A queued activity that fails with this can never succeed: its documents are malformed, or the
 * ones it names cannot be had (gone, refused, not http(s), on a server that does not answer). A
 * server that answers 5xx or 429 is there but busy: that is retried.
 */
export function isRemoteDocumentFailure(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof FetchError) return !answeredLater(current);
  }
  return isMalformedRemoteInput(error);
}

/** The server answered that it cannot serve now (overloaded, restarting behind its proxy). */
function answeredLater(error: FetchError): boolean {
  const status = error.response?.status ?? 0;
  return status >= 500 || status === 429;
}
