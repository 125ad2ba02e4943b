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

export async function getLoginFailures(db: Db, address: string): Promise<{ failures: number; lastFailureAt: Date } | undefined> {
  const row = await db.selectFrom("login_failures").selectAll().where("address", "=", address).executeTakeFirst();
  return row && { failures: row.failures, lastFailureAt: row.last_failure_at };
}

export async function recordLoginFailure(db: Db, address: string): Promise<void> {
  await db
    .insertInto("login_failures")
    .values({ address, failures: 1, last_failure_at: new Date() })
    .onConflict((oc) =>
      oc.column("address").doUpdateSet((eb) => ({
        failures: eb("login_failures.failures", "+", 1),
        last_failure_at: new Date(),
      })),
    )
    .execute();
}

export async function clearLoginFailures(db: Db, address: string): Promise<void> {
  await db.deleteFrom("login_failures").where("address", "=", address).execute();
}

/** Forgets expired sessions and login failures older than a day. */
export async function deleteStaleSessions(db: Db): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<", new Date()).execute();
  await db.deleteFrom("login_failures").where("last_failure_at", "<", new Date(Date.now() - 24 * 3600 * 1000)).execute();
}
