// Refuses request bodies over a limit with 413 before anything parses them, whether or not the
// client announced a Content-Length: no request can make Glose hold more than its route's limit.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Db } from "../data/client.ts";
import { isValidSession } from "../services/auth.ts";
import { SESSION_COOKIE } from "./session.ts";

/** Forms, API calls and inbox deliveries (Mastodon caps documents at 1 MB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The owner's routes that take more: the profile settings carry an avatar and a header of up to
 * 2 MB each; imports and restores take whole bookmark files and backups.
 */
const LARGER_LIMITS: ReadonlyArray<readonly [path: string, bytes: number]> = [
  ["/admin/settings", 5 * 1024 * 1024],
  ["/admin/moving", 64 * 1024 * 1024],
];

/**
 * The limit for every route, applied before any other middleware reads a body. The larger limits
 * are the owner's only: anyone else gets the default there too.
 */
export function bodyLimits(db: Db): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return await next();
    const path = c.req.path;
    const larger = LARGER_LIMITS.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1];
    const owner = larger !== undefined && (await isValidSession(db, getCookie(c, SESSION_COOKIE)));
    return await bodyLimit(owner ? larger : DEFAULT_BODY_LIMIT)(c, next);
  };
}

export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return await next();
    const tooLarge = () => c.text(`Request body over ${maxBytes} bytes`, 413);
    const declared = Number(c.req.header("content-length") ?? NaN);
    if (declared > maxBytes) return tooLarge();
    const body = c.req.raw.body;
    if (body === null) return await next();
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    await next();
  };
}
