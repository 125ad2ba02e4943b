// Deliveries of posts' activities, one row per (activity, inbox).
import { sql } from "kysely";
import type { DeliveryStatus } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export interface DeliveryKey {
  readonly activityId: string;
  readonly inbox: string;
  readonly postId: string;
}

export interface DeliveryOutcome extends DeliveryKey {
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly error: string | null;
  readonly statusCode: number | null;
}

export interface DeliveryRow {
  readonly activity_id: string;
  readonly inbox: string;
  readonly host: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly last_status_code: number | null;
  readonly updated_at: Date;
}

/**
 * Deliveries just queued, in one statement. A first attempt starts afresh; a retry keeps the
 * error that caused it. `late`: written after the jobs (a fan-out's), so that a delivery another
 * worker has already made is left as it is.
 */
export async function recordQueued(db: Db, queued: readonly (DeliveryKey & { attempts: number })[], late = false): Promise<void> {
  if (queued.length === 0) return;
  const rows = queued.map((d) => ({
    activity_id: d.activityId,
    inbox: d.inbox,
    post_id: d.postId,
    host: new URL(d.inbox).host,
    status: "pending" as const,
    attempts: d.attempts,
  }));
  await db
    .insertInto("deliveries")
    .values(rows)
    .onConflict((oc) =>
      late ? oc.columns(["activity_id", "inbox"]).doNothing() : oc.columns(["activity_id", "inbox"]).doUpdateSet({
        status: "pending",
        attempts: (eb) => eb.ref("excluded.attempts"),
        last_error: sql`case when excluded.attempts = 0 then null else deliveries.last_error end`,
        last_status_code: sql`case when excluded.attempts = 0 then null else deliveries.last_status_code end`,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export async function recordOutcome(db: Db, outcome: DeliveryOutcome): Promise<void> {
  await recordOutcomes(db, [outcome]);
}

/** Outcomes in one statement; of two for the same delivery, the later one counts. */
export async function recordOutcomes(db: Db, outcomes: readonly DeliveryOutcome[]): Promise<void> {
  const latest = new Map(outcomes.map((outcome) => [`${outcome.activityId} ${outcome.inbox}`, outcome]));
  if (latest.size === 0) return;
  const rows = [...latest.values()].map((outcome) => ({
    activity_id: outcome.activityId,
    inbox: outcome.inbox,
    post_id: outcome.postId,
    host: new URL(outcome.inbox).host,
    status: outcome.status,
    attempts: outcome.attempts,
    last_error: outcome.error,
    last_status_code: outcome.statusCode,
  }));
  await db
    .insertInto("deliveries")
    .values(rows)
    .onConflict((oc) =>
      oc.columns(["activity_id", "inbox"]).doUpdateSet({
        status: (eb) => eb.ref("excluded.status"),
        attempts: (eb) => eb.ref("excluded.attempts"),
        last_error: (eb) => eb.ref("excluded.last_error"),
        last_status_code: (eb) => eb.ref("excluded.last_status_code"),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

/** Each inbox a post was sent to, with the state of its latest activity there. */
export async function listPostDeliveries(db: Db, postId: string): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`
    select distinct on (inbox) activity_id, inbox, host, status, attempts, last_error, last_status_code, updated_at
      from deliveries where post_id = ${postId}
     order by inbox, updated_at desc`.execute(db);
  return rows;
}

/** The latest delivery of a post to one inbox. */
export async function getPostDelivery(db: Db, postId: string, inbox: string): Promise<DeliveryRow | undefined> {
  return await db
    .selectFrom("deliveries")
    .select(["activity_id", "inbox", "host", "status", "attempts", "last_error", "last_status_code", "updated_at"])
    .where("post_id", "=", postId)
    .where("inbox", "=", inbox)
    .orderBy("updated_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * Whether that inbox has taken the Note: its Create (`createId`), or one of its Updates (ids
 * `noteId#update-…`, the Create's row may have been pruned since).
 */
export async function hasNote(db: Db, postId: string, inbox: string, createId: string, noteId: string): Promise<boolean> {
  const updatePrefix = `${noteId}#update-`;
  const row = await db
    .selectFrom("deliveries")
    .select("activity_id")
    .where("post_id", "=", postId)
    .where("inbox", "=", inbox)
    .where("status", "=", "sent")
    .where((eb) =>
      eb.or([eb("activity_id", "=", createId), eb(sql<string>`left(activity_id, ${updatePrefix.length})`, "=", updatePrefix)]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Removes the rows a later activity of the same post to the same inbox has superseded, once that
 * one was sent: a post edited often keeps one row per server. Returns how many.
 */
export async function deleteSupersededDeliveries(db: Db): Promise<number> {
  const result = await sql`
    delete from deliveries old using deliveries newer
     where newer.post_id = old.post_id and newer.inbox = old.inbox
       and newer.updated_at > old.updated_at and newer.status = 'sent' and old.status <> 'pending'`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Deliveries given up on since `since`. */
export async function countFailedSince(db: Db, since: Date): Promise<number> {
  const row = await db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("status", "=", "failed")
    .where("updated_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
