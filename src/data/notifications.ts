import type { Insertable, Selectable } from "kysely";
import type { NotificationTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type NotificationRow = Selectable<NotificationTable>;

export async function insertNotification(db: Db, notification: Insertable<NotificationTable>): Promise<void> {
  await db.insertInto("notifications").values(notification).onConflict((oc) => oc.column("activity_id").doNothing()).execute();
}

export async function listNotifications(db: Db, limit = 100): Promise<NotificationRow[]> {
  return await db.selectFrom("notifications").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

export async function countUnreadNotifications(db: Db): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markNotificationsRead(db: Db): Promise<void> {
  await db.updateTable("notifications").set({ read_at: new Date() }).where("read_at", "is", null).execute();
}
