import { sql, type Insertable, type Selectable } from "kysely";
import type { FollowerTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type FollowerRow = Selectable<FollowerTable>;
export type NewFollower = Omit<Insertable<FollowerTable>, "created_at" | "updated_at">;

/** Inserts or refreshes a follower (Mastodon re-sends Follow after key changes and retries). */
export async function upsertFollower(db: Db, follower: NewFollower): Promise<void> {
  const { actor_id: _, ...changes } = follower;
  await db
    .insertInto("followers")
    .values(follower)
    .onConflict((oc) => oc.column("actor_id").doUpdateSet({ ...changes, updated_at: new Date() }))
    .execute();
}

export async function deleteFollower(db: Db, actorId: string): Promise<boolean> {
  const result = await db.deleteFrom("followers").where("actor_id", "=", actorId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function getFollower(db: Db, actorId: string): Promise<FollowerRow | undefined> {
  return await db.selectFrom("followers").selectAll().where("actor_id", "=", actorId).executeTakeFirst();
}

export async function countFollowers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("followers")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "accepted")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Where to deliver to each accepted follower, in no order: what a fan-out needs, and no more. */
export type FollowerInboxes = Pick<FollowerRow, "actor_id" | "inbox_url" | "shared_inbox_url">;

export async function listFollowerInboxes(db: Db): Promise<FollowerInboxes[]> {
  return await db.selectFrom("followers").select(["actor_id", "inbox_url", "shared_inbox_url"]).where("status", "=", "accepted").execute();
}

/**
 * Accepted followers, newest first. `before` is the keyset cursor (`created_at|actor_id` of the
 * last row of the previous page); with no `limit`, every follower is returned (fan-out needs all).
 */
export async function listFollowers(
  db: Db,
  options: { before?: { createdAt: Date; actorId: string }; limit?: number; includePending?: boolean; status?: FollowerRow["status"] } = {},
): Promise<FollowerRow[]> {
  let query = db.selectFrom("followers").selectAll();
  if (!options.includePending) query = query.where("status", "=", options.status ?? "accepted");
  const { before, limit } = options;
  if (before !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb("created_at", "<", before.createdAt),
        eb.and([eb("created_at", "=", before.createdAt), eb("actor_id", "<", before.actorId)]),
      ]),
    );
  }
  query = query.orderBy("created_at", "desc").orderBy("actor_id", "desc");
  if (limit !== undefined) query = query.limit(limit);
  return await query.execute();
}

export async function updateFollowerStatus(db: Db, actorId: string, status: FollowerRow["status"]): Promise<void> {
  await db.updateTable("followers").set({ status, updated_at: new Date() }).where("actor_id", "=", actorId).execute();
}

/** Whether an accepted follower's actor lives at `origin` (`https://host[:port]`). */
export async function hasFollowerAt(db: Db, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom("followers")
    .select("actor_id")
    .where("status", "=", "accepted")
    .where(sql<boolean>`starts_with(actor_id, ${`${origin}/`})`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Accepted followers whose deliveries go to `inbox`, their own or their server's shared one. */
export async function listFollowersAtInbox(db: Db, inbox: string): Promise<string[]> {
  const rows = await db
    .selectFrom("followers")
    .select("actor_id")
    .where("status", "=", "accepted")
    .where((eb) => eb.or([eb("inbox_url", "=", inbox), eb("shared_inbox_url", "=", inbox)]))
    .execute();
  return rows.map((row) => row.actor_id);
}

/** A follower's name, handle, profile link and avatar as their server now gives them. */
export async function updateFollowerProfile(
  db: Db,
  actorId: string,
  profile: { handle: string; name: string | null; url: string | null; icon_url: string | null },
): Promise<void> {
  await db.updateTable("followers").set(profile).where("actor_id", "=", actorId).execute();
}

/** How many accepted followers each former account of the owner brought, with its handle if known. */
export async function countMovedFollowers(db: Db): Promise<{ from: string; handle: string | null; count: number }[]> {
  const rows = await db
    .selectFrom("followers")
    .leftJoin("remote_actors", "remote_actors.id", "followers.moved_from")
    .select((eb) => ["followers.moved_from as from", "remote_actors.handle", eb.fn.countAll<number>().as("count")])
    .where("followers.status", "=", "accepted")
    .where("followers.moved_from", "is not", null)
    .groupBy(["followers.moved_from", "remote_actors.handle"])
    .orderBy("followers.moved_from")
    .execute();
  return rows.map((row) => ({ from: row.from!, handle: row.handle, count: Number(row.count) }));
}
