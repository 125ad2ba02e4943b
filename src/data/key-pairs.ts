import type { Selectable } from "kysely";
import type { KeyPairTable } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import { jsonb } from "./json.ts";

export type KeyPairRow = Selectable<KeyPairTable>;

export async function listKeyPairs(db: Db): Promise<KeyPairRow[]> {
  return await db.selectFrom("key_pairs").selectAll().orderBy("created_at").execute();
}

/** Stores a key pair unless one of that algorithm exists already (keys are made once, never replaced). */
export async function insertKeyPairIfMissing(
  db: Db,
  algorithm: KeyPairRow["algorithm"],
  privateKey: JsonWebKey,
  publicKey: JsonWebKey,
): Promise<void> {
  await db
    .insertInto("key_pairs")
    .values({ algorithm, private_key: jsonb(privateKey), public_key: jsonb(publicKey) })
    .onConflict((oc) => oc.column("algorithm").doNothing())
    .execute();
}
