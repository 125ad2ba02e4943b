// Shaarli's API tokens (Shaarli's ApiUtils::validateJwtToken): a JWT whose header is always
// {"typ":"JWT","alg":"HS512"}, whose only claim is `iat`, signed with HMAC-SHA512 over the API
// secret. There is no expiry claim: a token is good for 9 minutes around its `iat`. Shaarli
// refuses any future `iat`; we allow the same 9 minutes ahead, because phones' clocks drift.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Shaarli's ApiMiddleware::$TOKEN_DURATION. */
export const TOKEN_LIFETIME_SECONDS = 540;

export type TokenCheck = { ok: true } | { ok: false; reason: string };

/** A token as a Shaarli client makes it; `iat` in Unix seconds, now by default. */
export function signShaarliToken(secret: string, iat: number = Math.floor(Date.now() / 1000)): string {
  const header = base64url(JSON.stringify({ typ: "JWT", alg: "HS512" }));
  const payload = base64url(JSON.stringify({ iat }));
  return `${header}.${payload}.${signature(`${header}.${payload}`, secret)}`;
}

/**
 * Checks an `Authorization: Bearer <JWT>` header. The signature is checked before anything in
 * the token is parsed, in constant time; then the algorithm (so that `none` or HS256 tokens never
 * pass, whatever their signature) and the issue time.
 */
export function verifyShaarliToken(authorization: string | undefined, secret: string, now: Date = new Date()): TokenCheck {
  if (authorization === undefined || authorization.trim() === "") return { ok: false, reason: "no Authorization header" };
  if (secret === "") return { ok: false, reason: "no API secret is set" };
  const bearer = /^Bearer +(\S+) *$/i.exec(authorization);
  if (bearer === null) return { ok: false, reason: "the Authorization header is not a Bearer token" };
  const parts = bearer[1]!.split(".");
  if (parts.length !== 3 || parts[0] === "" || parts[1] === "") return { ok: false, reason: "malformed token" };
  const [header, payload, sent] = parts as [string, string, string];

  const expected = Buffer.from(signature(`${header}.${payload}`, secret));
  const given = Buffer.from(sent);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad signature" };

  const headerJson = parseJsonObject(header);
  if (headerJson === null) return { ok: false, reason: "the token header is not JSON" };
  if (headerJson.alg !== "HS512") return { ok: false, reason: `unsupported algorithm ${String(headerJson.alg)}` };
  if (headerJson.typ !== undefined && String(headerJson.typ).toUpperCase() !== "JWT") {
    return { ok: false, reason: "the token is not a JWT" };
  }
  const claims = parseJsonObject(payload);
  if (claims === null) return { ok: false, reason: "the token payload is not JSON" };
  const iat = claims.iat;
  if (typeof iat !== "number" || !Number.isFinite(iat)) return { ok: false, reason: "the token has no iat" };
  const skew = now.getTime() / 1000 - iat;
  if (skew > TOKEN_LIFETIME_SECONDS) return { ok: false, reason: "the token has expired" };
  if (-skew > TOKEN_LIFETIME_SECONDS) return { ok: false, reason: "the token is issued in the future" };
  return { ok: true };
}

function signature(content: string, secret: string): string {
  return createHmac("sha512", secret).update(content).digest("base64url");
}

function base64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

/** Node's base64 decoder takes both alphabets, padded or not: old clients sent plain base64. */
function parseJsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
