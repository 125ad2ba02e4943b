import type { Db } from "./client.ts";

export async function insertMedia(db: Db, id: string, contentType: string, bytes: Uint8Array): Promise<void> {
  await db.insertInto("media").values({ id, content_type: contentType, bytes }).execute();
}

export async function getMedia(db: Db, id: string): Promise<{ content_type: string; bytes: Uint8Array } | undefined> {
  return await db.selectFrom("media").select(["content_type", "bytes"]).where("id", "=", id).executeTakeFirst();
}
