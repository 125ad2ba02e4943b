// Owner authentication: password check with a growing delay after repeated failures, and
// server-side sessions whose tokens are stored hashed.
import { createHash, randomBytes } from "node:crypto";
import { getAccount } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import {
  clearLoginFailures,
  deleteSession,
  getLoginFailures,
  insertSession,
  recordLoginFailure,
  sessionExists,
} from "../data/sessions.ts";
import { verifyPassword } from "./password.ts";

/** The cookie that carries the owner's session token. */
export const SESSION_COOKIE = "glose_session";
export const SESSION_DAYS = 30;
const FREE_ATTEMPTS = 5;
const MAX_DELAY_SECONDS = 15 * 60;

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; error: "wrong-password" | "no-account" }
  | { ok: false; error: "too-many-attempts"; retryAfterSeconds: number };

/** Seconds this address must still wait before its next try: 0 for the first five failures, then 2, 4, 8… */
export function loginDelaySeconds(failures: number, lastFailureAt: Date, now = new Date()): number {
  if (failures < FREE_ATTEMPTS) return 0;
  const delay = Math.min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS);
  const waited = (now.getTime() - lastFailureAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(delay - waited));
}

export async function logIn(
  db: Db,
  input: { password: string; address: string; userAgent: string | null },
): Promise<LoginResult> {
  const previous = await getLoginFailures(db, input.address);
  if (previous !== undefined) {
    const retryAfterSeconds = loginDelaySeconds(previous.failures, previous.lastFailureAt);
    if (retryAfterSeconds > 0) return { ok: false, error: "too-many-attempts", retryAfterSeconds };
  }
  const account = await getAccount(db);
  if (account === undefined) return { ok: false, error: "no-account" };
  if (!(await verifyPassword(input.password, account.password_hash))) {
    await recordLoginFailure(db, input.address);
    return { ok: false, error: "wrong-password" };
  }
  await clearLoginFailures(db, input.address);
  return { ok: true, ...(await startSession(db, input.userAgent)) };
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
