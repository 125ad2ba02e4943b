import type { Db } from "./client.ts";

/** Stores an image under its name; the same name twice keeps the first (names derive from bytes). */
export async function insertMedia(db: Db, id: string, contentType: string, bytes: Uint8Array): Promise<void> {
  await db.insertInto("media").values({ id, content_type: contentType, bytes }).onConflict((oc) => oc.column("id").doNothing()).execute();
}

export async function getMedia(db: Db, id: string): Promise<{ content_type: string; bytes: Uint8Array } | undefined> {
  return await db.selectFrom("media").select(["content_type", "bytes"]).where("id", "=", id).executeTakeFirst();
}

/** The original named `base` with any of `extensions`. */
export async function getMediaOriginal(db: Db, base: string, extensions: readonly string[]): Promise<{ content_type: string; bytes: Uint8Array } | undefined> {
  const ids = extensions.map((extension) => `${base}.${extension}`);
  return await db.selectFrom("media").select(["content_type", "bytes"]).where("id", "in", ids).executeTakeFirst();
}
