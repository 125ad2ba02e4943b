import { sql, type Insertable, type Selectable, type Updateable } from "kysely";
import type { AccountTable, ProfileField } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import { jsonb } from "./json.ts";

export type AccountRow = Selectable<AccountTable>;
export type NewAccount = Omit<Insertable<AccountTable>, "fields"> & { fields?: readonly ProfileField[] };
export type AccountChanges = Omit<Updateable<AccountTable>, "fields"> & { fields?: readonly ProfileField[] };

export async function getAccount(db: Db): Promise<AccountRow | undefined> {
  return await db.selectFrom("account").selectAll().where("id", "=", 1).executeTakeFirst();
}

/** Inserts the one account; returns false if there already is one. */
export async function insertAccount(db: Db, { fields = [], ...row }: NewAccount): Promise<boolean> {
  const result = await db
    .insertInto("account")
    .values({ ...row, id: 1, fields: jsonb(fields) })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateAccount(db: Db, { fields, ...changes }: AccountChanges): Promise<void> {
  await db
    .updateTable("account")
    .set({ ...changes, ...(fields === undefined ? {} : { fields: jsonb(fields) }), updated_at: new Date() })
    .where("id", "=", 1)
    .execute();
}

/** Notes that the former account `alias` moved here; nothing if it is no longer an alias. */
export async function addMovedInFrom(db: Db, alias: string): Promise<void> {
  await db
    .updateTable("account")
    .set({ moved_in_from: sql<string[]>`array_append(moved_in_from, ${alias})`, moved_in_at: new Date(), updated_at: new Date() })
    .where("id", "=", 1)
    .where(sql<boolean>`${alias} = any(also_known_as) and not (${alias} = any(moved_in_from))`)
    .execute();
}
