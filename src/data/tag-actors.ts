// Tag actors, their followers and the posts they announced.
import { sql, type Insertable, type Selectable } from "kysely";
import type { TagActorTable, TagFollowerTable } from "../../db/schema.ts";
import { tagKey } from "../content/tags.ts";
import type { Db } from "./client.ts";
import { readChanged } from "./read-changes.ts";

export type TagActorRow = Selectable<TagActorTable>;
export type TagFollowerRow = Selectable<TagFollowerTable>;
export type NewTagFollower = Omit<Insertable<TagFollowerTable>, "created_at">;

export async function listTagActors(db: Db): Promise<TagActorRow[]> {
  return await db.selectFrom("tag_actors").selectAll().orderBy("handle").execute();
}

export async function getTagActor(db: Db, handle: string): Promise<TagActorRow | undefined> {
  return await db.selectFrom("tag_actors").selectAll().where("handle", "=", handle).executeTakeFirst();
}

/** The actors of these tags, whatever the case each was written in (a tag's spellings share one). */
export async function getTagActorsOfTags(db: Db, tags: readonly string[]): Promise<TagActorRow[]> {
  if (tags.length === 0) return [];
  const keys = new Set(tags.map(tagKey));
  return (await listTagActors(db)).filter((row) => keys.has(tagKey(row.tag)));
}

/** Stores handles; one taken meanwhile by another process is left to the next assignment. */
export async function insertTagActors(db: Db, rows: readonly { tag: string; handle: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("tag_actors").values([...rows]).onConflict((oc) => oc.doNothing()).execute();
  await readChanged(db, "profile");
}

export async function setTagActorEnabled(db: Db, handle: string, enabled: boolean): Promise<boolean> {
  const result = await db.updateTable("tag_actors").set({ enabled }).where("handle", "=", handle).executeTakeFirst();
  await readChanged(db, "profile");
  return Number(result.numUpdatedRows) > 0;
}

export async function upsertTagFollower(db: Db, row: NewTagFollower): Promise<void> {
  const { handle: _, actor_id: __, ...changes } = row;
  await db
    .insertInto("tag_followers")
    .values(row)
    .onConflict((oc) => oc.columns(["handle", "actor_id"]).doUpdateSet(changes))
    .execute();
  await readChanged(db, "followers");
}

export async function getTagFollower(db: Db, handle: string, actorId: string): Promise<TagFollowerRow | undefined> {
  return await db
    .selectFrom("tag_followers")
    .selectAll()
    .where("handle", "=", handle)
    .where("actor_id", "=", actorId)
    .executeTakeFirst();
}

export async function deleteTagFollower(db: Db, handle: string, actorId: string): Promise<boolean> {
  const result = await db
    .deleteFrom("tag_followers")
    .where("handle", "=", handle)
    .where("actor_id", "=", actorId)
    .executeTakeFirst();
  await readChanged(db, "followers");
  return Number(result.numDeletedRows) > 0;
}

export async function setTagFollowerStatus(db: Db, handle: string, actorId: string, status: TagFollowerRow["status"]): Promise<void> {
  await db.updateTable("tag_followers").set({ status }).where("handle", "=", handle).where("actor_id", "=", actorId).execute();
  await readChanged(db, "followers");
}

/**
 * A tag actor's followers, newest first; every status when `status` is null. Blocked accounts and
 * servers are left out: a block removes followers of the owner, and stops a tag's deliveries.
 */
export async function listTagFollowers(
  db: Db,
  handle: string,
  status: TagFollowerRow["status"] | null = "accepted",
): Promise<TagFollowerRow[]> {
  let query = db
    .selectFrom("tag_followers")
    .selectAll()
    .where("handle", "=", handle)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("blocks")
            .select("kind")
            .where(sql<boolean>`(kind = 'actor' and value = tag_followers.actor_id)
              or (kind = 'domain' and value = lower(regexp_replace(split_part(split_part(tag_followers.actor_id, '://', 2), '/', 1), ':[0-9]+$', '')))`),
        ),
      ),
    );
  if (status !== null) query = query.where("status", "=", status);
  return await query.orderBy("created_at", "desc").orderBy("actor_id", "desc").execute();
}

export async function listAnnouncingHandles(db: Db, postId: string): Promise<string[]> {
  const rows = await db.selectFrom("tag_announces").select("handle").where("post_id", "=", postId).execute();
  return rows.map((row) => row.handle);
}

export async function recordAnnounce(db: Db, postId: string, handle: string): Promise<void> {
  await db.insertInto("tag_announces").values({ post_id: postId, handle }).onConflict((oc) => oc.doNothing()).execute();
}

export async function forgetAnnounce(db: Db, postId: string, handle: string): Promise<void> {
  await db.deleteFrom("tag_announces").where("post_id", "=", postId).where("handle", "=", handle).execute();
}
