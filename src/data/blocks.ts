import type { Selectable } from "kysely";
import type { BlockTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type BlockRow = Selectable<BlockTable>;

export async function insertBlock(db: Db, kind: BlockRow["kind"], value: string): Promise<void> {
  await db.insertInto("blocks").values({ kind, value }).onConflict((oc) => oc.doNothing()).execute();
}

export async function deleteBlock(db: Db, kind: BlockRow["kind"], value: string): Promise<void> {
  await db.deleteFrom("blocks").where("kind", "=", kind).where("value", "=", value).execute();
}

export async function listBlocks(db: Db): Promise<BlockRow[]> {
  return await db.selectFrom("blocks").selectAll().orderBy("created_at", "desc").execute();
}

/** Whether an actor, or its whole server, is blocked. */
export async function isBlocked(db: Db, actorId: string): Promise<boolean> {
  const host = URL.canParse(actorId) ? new URL(actorId).hostname.toLowerCase() : "";
  const row = await db
    .selectFrom("blocks")
    .select("kind")
    .where((eb) =>
      eb.or([
        eb.and([eb("kind", "=", "actor"), eb("value", "=", actorId)]),
        eb.and([eb("kind", "=", "domain"), eb("value", "=", host)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
