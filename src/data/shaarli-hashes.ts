import type { Db } from "./client.ts";

/** Keeps imported links' Shaarli hashes; a hash already taken stays with its first post. */
export async function insertShaarliHashes(db: Db, rows: readonly { hash: string; post_id: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("shaarli_hashes")
    .values([...rows])
    .onConflict((oc) => oc.column("hash").doNothing())
    .execute();
}

/** The id of the live post a Shaarli hash names. */
export async function findPostIdByShaarliHash(db: Db, hash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("shaarli_hashes")
    .innerJoin("posts", "posts.id", "shaarli_hashes.post_id")
    .select("posts.id")
    .where("shaarli_hashes.hash", "=", hash)
    .where("posts.deleted_at", "is", null)
    .executeTakeFirst();
  return row?.id;
}
