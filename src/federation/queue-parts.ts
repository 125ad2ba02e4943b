// What a fan-out's deliveries share, the activity and the keys that sign it, is stored once in
// fedify_queue_parts; each queued delivery names it by hash. A post to 1,000 servers then writes,
// reads and parses 8 KB once instead of 1,000 times.
// A part's value is frozen from the moment it is stored: Fedify builds each delivery, and each
// retry, from the objects it was given, and a value that changed after being hashed would send
// what its hash does not name. Deliveries only read them.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../data/client.ts";
import { jsonb } from "../data/json.ts";

/** The fields of a delivery ("outbox" message) that a fan-out's deliveries share. */
const SHARED_FIELDS = ["activity", "keys"] as const;
/** What a shared field holds in the stored message: `{ [REF]: hash }`. */
const REF = "gloseQueuePart";
/** Parts kept parsed: a fan-out and its retries need two. */
const KEPT = 64;
/** A part no queued message names is removed once it has not been stored again for this long. */
const UNUSED_FOR = "1 hour";

/** Parts to store with the messages that name them, by hash. */
export type PartValues = Map<string, unknown>;

export class QueueParts {
  readonly #hashes = new WeakMap<object, string>();
  /** Parsed values by hash, the most recently used last. */
  readonly #values = new Map<string, unknown>();

  /**
   * The message as it is stored: a delivery's shared fields become references to parts, added to
   * `parts`; the hashes it names are returned with it. Any other message is stored whole.
   */
  split(message: unknown, parts: PartValues): { stored: unknown; names: string[] } {
    if (!isDelivery(message)) return { stored: message, names: [] };
    const stored: Record<string, unknown> = { ...message };
    const names: string[] = [];
    for (const field of SHARED_FIELDS) {
      const value = message[field];
      if (value === null || typeof value !== "object") continue;
      const hash = this.#hashOf(value);
      parts.set(hash, value);
      stored[field] = { [REF]: hash };
      names.push(hash);
    }
    return { stored, names };
  }

  /**
   * The messages with their parts put back, reading from the database only the parts not kept
   * here. A message whose part is gone (which the cleanup never causes) comes back as null.
   */
  async join(db: Db, messages: readonly unknown[]): Promise<unknown[]> {
    const missing = new Set(messages.flatMap((message) => namesIn(message).filter((hash) => !this.#values.has(hash))));
    if (missing.size > 0) {
      const rows = await db.selectFrom("fedify_queue_parts").select(["hash", "value"]).where("hash", "in", [...missing]).execute();
      for (const row of rows) this.#keep(row.hash, deepFreeze(row.value as object));
    }
    return messages.map((message) => {
      if (!isDelivery(message) || namesIn(message).length === 0) return message;
      const joined: Record<string, unknown> = { ...message };
      for (const field of SHARED_FIELDS) {
        const hash = refOf(message[field]);
        if (hash === null) continue;
        if (!this.#values.has(hash)) return null;
        joined[field] = this.#use(hash);
      }
      return joined;
    });
  }

  #hashOf(value: object): string {
    let hash = this.#hashes.get(value);
    if (hash === undefined) {
      hash = createHash("sha256").update(JSON.stringify(deepFreeze(value))).digest("base64url");
      this.#keep(hash, value);
    }
    return hash;
  }

  #keep(hash: string, value: object): void {
    this.#hashes.set(value, hash);
    this.#values.delete(hash);
    this.#values.set(hash, value);
    if (this.#values.size > KEPT) this.#values.delete(this.#values.keys().next().value!);
  }

  #use(hash: string): unknown {
    const value = this.#values.get(hash);
    this.#values.delete(hash);
    this.#values.set(hash, value);
    return value;
  }
}

/**
 * Rows for fedify_queue_parts, stored with the messages in the same statement. A part already
 * there has its time refreshed, which keeps the cleanup off it.
 */
export function partRows(parts: PartValues) {
  return [...parts].map(([hash, value]) => ({ hash, value: jsonb(value) }));
}

/** Removes the parts no queued message names; returns how many. Called on a timer by the worker. */
export async function deleteUnusedParts(db: Db): Promise<number> {
  const result = await sql`
    delete from fedify_queue_parts p
     where p.stored_at < now() - ${UNUSED_FOR}::interval
       and not exists (select from fedify_queue q where q.parts @> array[p.hash])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

function isDelivery(message: unknown): message is Record<string, unknown> {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "outbox";
}

function namesIn(message: unknown): string[] {
  if (!isDelivery(message)) return [];
  return SHARED_FIELDS.flatMap((field) => refOf(message[field]) ?? []);
}

function refOf(value: unknown): string | null {
  const hash = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[REF] : undefined;
  return typeof hash === "string" ? hash : null;
}

function deepFreeze<T extends object>(value: T): T {
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) if (typeof child === "object" && child !== null) deepFreeze(child);
  return value;
}
