import type { Insertable, Selectable } from "kysely";
import type { ProfileField, RemoteActorTable, RemoteEmoji } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import { jsonb } from "./json.ts";

export type RemoteActorRow = Selectable<RemoteActorTable>;
export type RemoteActorValues = Omit<Insertable<RemoteActorTable>, "refreshed_at" | "emojis" | "fields"> & {
  emojis: readonly RemoteEmoji[];
  fields: readonly ProfileField[];
};

/** Stores what an actor's server said of it, now. */
export async function upsertRemoteActor(db: Db, { emojis, fields, ...actor }: RemoteActorValues): Promise<void> {
  const { id: _, ...changes } = actor;
  const json = { emojis: jsonb(emojis), fields: jsonb(fields) };
  await db
    .insertInto("remote_actors")
    .values({ ...actor, ...json, refreshed_at: new Date() })
    .onConflict((oc) => oc.column("id").doUpdateSet({ ...changes, ...json, refreshed_at: new Date() }))
    .execute();
}

export async function getRemoteActor(db: Db, id: string): Promise<RemoteActorRow | undefined> {
  return await db.selectFrom("remote_actors").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function getRemoteActors(db: Db, ids: readonly string[]): Promise<Map<string, RemoteActorRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("remote_actors").selectAll().where("id", "in", [...new Set(ids)]).execute();
  return new Map(rows.map((row) => [row.id, row]));
}
