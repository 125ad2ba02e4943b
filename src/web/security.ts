// Security headers for every HTML answer, and CSRF protection for every form: a random token in
// an HttpOnly cookie that each form must repeat (double submit), plus an Origin check.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { WebEnv } from "./context.ts";

const CSRF_COOKIE = "glose_csrf";
export const CSRF_FIELD = "_csrf";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self' https: http:",
  "frame-ancestors 'none'",
].join("; ");

/** What every HTML answer carries, lower-case names as Node writes them. */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

export function isHtml(contentType: string | null | undefined): boolean {
  return contentType?.startsWith("text/html") ?? false;
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!isHtml(c.res.headers.get("content-type"))) return;
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}

/**
 * Refuses unsafe requests that do not repeat the CSRF cookie. The cookie is issued to the owner
 * and on admin pages only, so that visitors' pages carry no cookie.
 */
export function csrfProtection(
  origin: string,
  /** A page to answer a same-site form whose token no longer matches, instead of a bare refusal. */
  afterBadToken: (c: Context<WebEnv>) => Promise<Response | undefined> = async () => undefined,
): MiddlewareHandler<WebEnv> {
  const secure = origin.startsWith("https:");
  return async (c, next) => {
    let token = getCookie(c, CSRF_COOKIE);
    if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString("base64url");
      if (c.get("owner") || c.req.path.startsWith("/admin")) {
        setCookie(c, CSRF_COOKIE, token, { httpOnly: true, sameSite: "Lax", secure, path: "/" });
      }
    }
    c.set("csrf", token);
    if (!["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
      const requestOrigin = c.req.header("origin");
      if (requestOrigin !== undefined && requestOrigin !== "null" && requestOrigin !== origin) {
        return c.text("Cross-site request refused", 403);
      }
      const sent = await submittedToken(c);
      if (sent === undefined || !sameToken(sent, token)) {
        const page = await afterBadToken(c);
        if (page !== undefined) return page;
        return c.text("The form expired or came from elsewhere: reload the page and try again.", 403);
      }
    }
    await next();
  };
}

async function submittedToken(c: Context<WebEnv>): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header !== undefined) return header;
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return undefined;
  const body = await c.req.parseBody();
  const value = body[CSRF_FIELD];
  return typeof value === "string" ? value : undefined;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
