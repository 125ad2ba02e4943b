// Requests refused before any route sees them, with a 400 that says why: a URL carrying control
// characters (PostgreSQL text cannot hold NUL, and no page of Glose has such a name), and
// activities nested deeper than any real one (JSON-LD processing recurses once per level, so a
// deep document would exhaust the stack). And activities from blocked senders, dropped.
import type { MiddlewareHandler } from "hono";
import { isBlocked } from "../data/blocks.ts";
import type { Db } from "../data/client.ts";

/** Mastodon's documents nest a few levels; 64 leaves room for any real activity. */
export const MAX_JSON_DEPTH = 64;

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function refuseControlCharacters(): MiddlewareHandler {
  return async (c, next) => {
    // Nothing percent-encoded: the address is as it reads, no decoding needed.
    if (!c.req.url.includes("%") && !CONTROL_CHARACTERS.test(c.req.url)) return await next();
    let decoded: string;
    try {
      const url = new URL(c.req.url);
      decoded = decodeURIComponent(url.pathname + url.search.replaceAll("+", " "));
    } catch {
      return c.text("Bad request: the address is not valid percent-encoded UTF-8.", 400);
    }
    if (CONTROL_CHARACTERS.test(decoded)) {
      return c.text("Bad request: the address contains control characters.", 400);
    }
    await next();
  };
}

export function refuseDeepJson(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return await next();
    const depth = jsonDepth(await c.req.raw.clone().text());
    if (depth > maxDepth) return c.text(`Bad request: the document is nested more than ${maxDepth} levels deep.`, 400);
    await next();
  };
}

/** How deep arrays and objects nest in some JSON text, without parsing it (strings skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      deepest = Math.max(deepest, ++depth);
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Activities from a blocked account or server are dropped when they arrive, before they are
 * queued: a block takes effect at once, even for deliveries already on their way. (The inbox
 * listeners check again, for what was queued before the block.) The answer is the usual 202, as
 * Mastodon gives, so that the sender learns nothing.
 */
export function dropBlockedActivities(db: Db): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return await next();
    const actor = actorOf(await c.req.raw.clone().text());
    if (actor !== null && (await isBlocked(db, actor))) return c.body(null, 202);
    await next();
  };
}

function actorOf(body: string): string | null {
  try {
    const activity: unknown = JSON.parse(body);
    if (typeof activity !== "object" || activity === null) return null;
    const actor = (activity as { actor?: unknown }).actor;
    const id = typeof actor === "object" && actor !== null ? (actor as { id?: unknown }).id : actor;
    return typeof id === "string" && URL.canParse(id) ? id : null;
  } catch {
    return null;
  }
}
