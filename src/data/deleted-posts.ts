// Deleting a post and taking the deletion back within the undo window. Both use the database's
// clock, the one the held Delete's delay is counted on, so "still within the window" means
// "its Delete has not left yet".
import { sql } from "kysely";
import type { Db } from "./client.ts";
import { POST_COLUMNS, type PostRow } from "./posts.ts";

export async function markDeleted(db: Db, id: string): Promise<PostRow | undefined> {
  return await db
    .updateTable("posts")
    .set({ deleted_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .returning(POST_COLUMNS)
    .executeTakeFirst();
}

/** Brings a post back if it was deleted less than `windowMs` ago. */
export async function restoreDeleted(db: Db, id: string, windowMs: number): Promise<PostRow | undefined> {
  return await db
    .updateTable("posts")
    .set({ deleted_at: null })
    .where("id", "=", id)
    .where("deleted_at", ">", sql<Date>`now() - ${windowMs}::double precision * interval '1 millisecond'`)
    .returning(POST_COLUMNS)
    .executeTakeFirst();
}

/** Posts deleted less than `windowMs` ago, the latest first. */
export async function listRecentlyDeleted(db: Db, windowMs: number, limit = 5): Promise<PostRow[]> {
  return await db
    .selectFrom("posts")
    .select(POST_COLUMNS)
    .where("deleted_at", ">", sql<Date>`now() - ${windowMs}::double precision * interval '1 millisecond'`)
    .orderBy("deleted_at", "desc")
    .limit(limit)
    .execute();
}
