// Owner authentication: password check with a growing delay after repeated failures, and
// server-side sessions whose tokens are stored hashed.
import { createHash, randomBytes } from "node:crypto";
import { getAccount } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import {
  clearLoginFailures,
  deleteSession,
  insertKnownDevice,
  insertSession,
  reserveLoginAttempt,
  sessionExists,
  touchKnownDevice,
} from "../data/sessions.ts";
import { verifyPassword } from "./password.ts";

export { loginDelaySeconds } from "../data/sessions.ts";

/** The cookie that carries the owner's session token. */
export const SESSION_COOKIE = "glose_session";
export const SESSION_DAYS = 30;
/** Wrong passwords allowed before the delays start, per address or per known device. */
export const FREE_ATTEMPTS = 5;
/** The same for all attempts from browsers the owner never logged in from, wherever they come from. */
export const FREE_ANONYMOUS_ATTEMPTS = 50;

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; device: string }
  | { ok: false; error: "wrong-password" | "no-account" }
  | { ok: false; error: "too-many-attempts"; retryAfterSeconds: number };

/**
 * Checks the owner's password. Each attempt is counted before the password is checked, so that
 * parallel guesses cannot get past the limit. A browser the owner logged in from before (its
 * device cookie) is throttled on its own: guesses from elsewhere, even through the same proxy
 * address, never lock the owner out of it. Other attempts are throttled per address and, all
 * together, by a larger allowance that stops guessing from many addresses at once.
 */
export async function logIn(
  db: Db,
  input: { password: string; address: string; device: string | undefined; userAgent: string | null },
): Promise<LoginResult> {
  const device = input.device !== undefined && input.device !== "" ? hashToken(input.device) : null;
  const knownDevice = device !== null && (await touchKnownDevice(db, device));
  const keys = knownDevice
    ? [{ key: `device:${device}`, free: FREE_ATTEMPTS }]
    : [
        { key: `address:${input.address}`, free: FREE_ATTEMPTS },
        { key: "anonymous", free: FREE_ANONYMOUS_ATTEMPTS },
      ];
  for (const { key, free } of keys) {
    const retryAfterSeconds = await reserveLoginAttempt(db, key, free);
    if (retryAfterSeconds > 0) return { ok: false, error: "too-many-attempts", retryAfterSeconds };
  }
  const account = await getAccount(db);
  if (account === undefined) return { ok: false, error: "no-account" };
  if (!(await verifyPassword(input.password, account.password_hash))) return { ok: false, error: "wrong-password" };
  await clearLoginFailures(db, keys[0]!.key);
  const deviceToken = knownDevice ? input.device! : randomBytes(32).toString("base64url");
  if (!knownDevice) await insertKnownDevice(db, hashToken(deviceToken));
  return { ok: true, ...(await startSession(db, input.userAgent)), device: deviceToken };
}

export async function startSession(db: Db, userAgent: string | null): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
  await insertSession(db, hashToken(token), expiresAt, userAgent?.slice(0, 300) ?? null);
  return { token, expiresAt };
}

export async function isValidSession(db: Db, token: string | undefined): Promise<boolean> {
  return token !== undefined && token !== "" && (await sessionExists(db, hashToken(token)));
}

export async function logOut(db: Db, token: string | undefined): Promise<void> {
  if (token) await deleteSession(db, hashToken(token));
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
