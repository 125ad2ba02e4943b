// Who is asking: the owner (a valid session cookie) or a visitor.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { getConnInfo } from "@hono/node-server/conninfo";
import { isValidSession, SESSION_COOKIE } from "../services/auth.ts";
import type { Db } from "../data/client.ts";
import type { WebEnv } from "./context.ts";

export { SESSION_COOKIE };
/** Marks a browser the owner logged in from; its login attempts are throttled on their own. */
export const DEVICE_COOKIE = "glose_device";

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

export function setDeviceCookie(c: Context, token: string, origin: string): void {
  setCookie(c, DEVICE_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: origin.startsWith("https:"),
    path: "/admin",
    maxAge: 365 * 24 * 3600,
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/**
 * The client's address, for login throttling. Behind a reverse proxy every request comes from the
 * proxy; with `trustProxy`, the address the proxy appended to X-Forwarded-For is the client's
 * (never an earlier entry, which the client itself may have written). Requests built in-process
 * have no address.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded !== undefined && forwarded !== "") return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
