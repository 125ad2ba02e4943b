// What the Shaarli API's routes share: its error body, its paging and date formats, and the
// reading of JSON bodies and of its `visibility` filter.
import type { Context } from "hono";
import type { Visibility } from "../../../db/schema.ts";
import type { AccountRow } from "../../data/account.ts";
import type { WebDeps } from "../context.ts";

export type ApiDeps = Pick<WebDeps, "config" | "db" | "publishing">;

export interface ApiEnv {
  Variables: {
    /** The account whose secret signed the request's token. */
    account: AccountRow;
  };
}

export const ALL_VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "followers", "private"];

/**
 * Shaarli's error: `{"message": "…"}` with the status of its ApiException (400 bad parameters,
 * 401 "Not authorized: <why>", 404 "Link not found" / "Tag not found", 500).
 */
export function apiError(c: Context, status: 400 | 401 | 404 | 500, message: string): Response {
  return c.json({ message }, status);
}

/** Shaarli's `visibility` filter: `private`, `public` (anything not private), else all. */
export function visibilitiesFor(param: string | undefined): readonly Visibility[] {
  if (param === "private") return ["private"];
  if (param === "public") return ["public", "unlisted", "followers"];
  return ALL_VISIBILITIES;
}

export type Paging = { ok: true; offset: number; limit: number | undefined } | { ok: false; message: string };

// Far beyond any blog, and within what PostgreSQL takes for OFFSET and LIMIT.
const MAX_PAGING = 2_147_483_647;

/**
 * Shaarli's `offset` and `limit`: digits, or `all` for no limit. PHP's empty() makes "0" count
 * as absent, so `limit=0` means the default there, and here too.
 */
export function parsePaging(offsetText: string | undefined, limitText: string | undefined, defaultLimit: number | "all"): Paging {
  let offset = 0;
  if (offsetText !== undefined && offsetText !== "") {
    if (!/^\d+$/.test(offsetText)) return { ok: false, message: "Invalid offset" };
    offset = Math.min(Number(offsetText), MAX_PAGING);
  }
  let limit: number | "all" = defaultLimit;
  if (limitText !== undefined && limitText !== "" && limitText !== "0") {
    if (limitText === "all") limit = "all";
    else if (/^\d+$/.test(limitText)) limit = Math.min(Number(limitText), MAX_PAGING);
    else return { ok: false, message: "Invalid limit" };
  }
  return { ok: true, offset, limit: limit === "all" ? undefined : limit };
}

/** PHP's DateTime::ATOM, as Shaarli formats every date: seconds, and the offset spelled out. */
export function atomDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO 8601 date and time; without an offset, UTC (Shaarli's default timezone). */
export function parseIsoDate(text: string): Date | null {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (match === null) return null;
  let normalized = text.trim();
  if (match[1] === undefined) normalized += "Z";
  else normalized = normalized.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const time = Date.parse(normalized);
  return Number.isNaN(time) ? null : new Date(time);
}

/** The request's JSON object; an empty body is an empty object; null when it is not JSON or not an object. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown> | null> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const INVALID_JSON = "Invalid request content: a JSON object was expected";
