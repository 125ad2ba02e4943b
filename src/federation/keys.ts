// The actor's key pairs: RSA for HTTP signatures (what Mastodon verifies), Ed25519 for object
// integrity proofs. Made once and kept: a changed key makes Mastodon re-follow every follower.
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { Db } from "../data/client.ts";
import { insertKeyPairIfMissing, listKeyPairs, type KeyPairRow } from "../data/key-pairs.ts";

const ALGORITHMS: readonly KeyPairRow["algorithm"][] = ["RSASSA-PKCS1-v1_5", "Ed25519"];

/** Creates whichever key pair is missing; safe when several processes start at once. */
export async function ensureKeyPairs(db: Db): Promise<void> {
  const existing = new Set((await listKeyPairs(db)).map((row) => row.algorithm));
  for (const algorithm of ALGORITHMS) {
    if (existing.has(algorithm)) continue;
    const pair = await generateCryptoKeyPair(algorithm);
    await insertKeyPairIfMissing(db, algorithm, await exportJwk(pair.privateKey), await exportJwk(pair.publicKey));
  }
}

let imports = 0;

/** How many times this process has imported the key pairs (they are imported once, then kept). */
export function keyPairImports(): number {
  return imports;
}

/** The key pairs, RSA first: Fedify signs HTTP requests with the first RSA key it is given. */
export async function loadKeyPairs(db: Db): Promise<CryptoKeyPair[]> {
  imports++;
  const rows = await listKeyPairs(db);
  rows.sort((a, b) => ALGORITHMS.indexOf(a.algorithm) - ALGORITHMS.indexOf(b.algorithm));
  return await Promise.all(
    rows.map(async (row) => ({
      privateKey: await importJwk(row.private_key, "private"),
      publicKey: await importJwk(row.public_key, "public"),
    })),
  );
}
