// Who is asking: the owner (a valid session cookie) or a visitor.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { getConnInfo } from "@hono/node-server/conninfo";
import { isValidSession, SESSION_COOKIE } from "../services/auth.ts";
import type { Db } from "../data/client.ts";
import type { WebEnv } from "./context.ts";

export { SESSION_COOKIE };

export function sessionMiddleware(db: Db): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set("owner", await isValidSession(db, getCookie(c, SESSION_COOKIE)));
    await next();
  };
}

export function setSessionCookie(c: Context, token: string, expiresAt: Date, origin: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: origin.startsWith("https:"),
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** The client's address, for login throttling; requests built in-process have none. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
