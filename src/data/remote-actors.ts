import type { Insertable, Selectable } from "kysely";
import type { RemoteActorTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";

export type RemoteActorRow = Selectable<RemoteActorTable>;

export async function upsertRemoteActor(db: Db, actor: Omit<Insertable<RemoteActorTable>, "refreshed_at">): Promise<void> {
  const { id: _, ...changes } = actor;
  await db
    .insertInto("remote_actors")
    .values(actor)
    .onConflict((oc) => oc.column("id").doUpdateSet({ ...changes, refreshed_at: new Date() }))
    .execute();
}

export async function getRemoteActors(db: Db, ids: readonly string[]): Promise<Map<string, RemoteActorRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("remote_actors").selectAll().where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row]));
}
