import { sql } from "kysely";
import type { Db } from "./client.ts";

export async function insertSession(db: Db, id: string, expiresAt: Date, userAgent: string | null): Promise<void> {
  await db.insertInto("sessions").values({ id, expires_at: expiresAt, user_agent: userAgent }).execute();
}

export async function sessionExists(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom("sessions")
    .select("id")
    .where("id", "=", id)
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("sessions").where((eb) => eb.or([eb("id", "=", id), eb("expires_at", "<", new Date())])).execute();
}

/**
 * Counts one more login attempt under `key`, unless the key must still wait: one atomic statement,
 * so that concurrent attempts cannot all slip through before any of them is counted. Returns the
 * seconds left to wait when refused, 0 when the attempt may go on.
 */
export async function reserveLoginAttempt(db: Db, key: string, freeAttempts: number, now = new Date()): Promise<number> {
  const counted = await db
    .insertInto("login_failures")
    .values({ address: key, failures: 1, last_failure_at: now })
    .onConflict((oc) =>
      oc
        .column("address")
        .doUpdateSet((eb) => ({ failures: eb("login_failures.failures", "+", 1), last_failure_at: now }))
        .where((eb) =>
          eb.or([
            eb("login_failures.failures", "<", freeAttempts),
            eb(sql`login_failures.last_failure_at + make_interval(secs => least(power(2, login_failures.failures - ${freeAttempts} + 1), ${MAX_DELAY_SECONDS}))`, "<=", now),
          ]),
        ),
    )
    .returning("failures")
    .executeTakeFirst();
  if (counted !== undefined) return 0;
  const row = await db.selectFrom("login_failures").selectAll().where("address", "=", key).executeTakeFirst();
  return row === undefined ? 0 : Math.max(1, loginDelaySeconds(row.failures, row.last_failure_at, freeAttempts, now));
}

export const MAX_DELAY_SECONDS = 15 * 60;

/** Seconds `key` must still wait: none for the free attempts, then 2, 4, 8… up to 15 minutes. */
export function loginDelaySeconds(failures: number, lastFailureAt: Date, freeAttempts: number, now = new Date()): number {
  if (failures < freeAttempts) return 0;
  const delay = Math.min(2 ** (failures - freeAttempts + 1), MAX_DELAY_SECONDS);
  const waited = (now.getTime() - lastFailureAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(delay - waited));
}

export async function clearLoginFailures(db: Db, address: string): Promise<void> {
  await db.deleteFrom("login_failures").where("address", "=", address).execute();
}

export async function insertKnownDevice(db: Db, id: string): Promise<void> {
  await db.insertInto("known_devices").values({ id }).onConflict((oc) => oc.column("id").doNothing()).execute();
}

/** Whether `id` is a known device; touches it, so devices unused for a year can be forgotten. */
export async function touchKnownDevice(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable("known_devices")
    .set({ last_used_at: new Date() })
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets expired sessions and login failures older than a day. */
export async function deleteStaleSessions(db: Db): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<", new Date()).execute();
  await db.deleteFrom("login_failures").where("last_failure_at", "<", new Date(Date.now() - 24 * 3600 * 1000)).execute();
  await db.deleteFrom("known_devices").where("last_used_at", "<", new Date(Date.now() - 365 * 24 * 3600 * 1000)).execute();
}
