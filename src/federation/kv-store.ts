// Fedify's key–value store on Glose's own database (table fedify_kv), so that several processes
// share one cache of remote documents, keys and idempotence marks. Values are jsonb; a TTL becomes
// expires_at, and an expired row is treated as absent everywhere until deleteExpired() removes it.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { sql, type RawBuilder } from "kysely";
import type { Db } from "../data/client.ts";
import { Batches } from "../data/batches.ts";
import { jsonb } from "../data/json.ts";
import { inAmbientTransaction } from "../data/transaction.ts";

interface Entry {
  readonly key: KvKey;
  readonly value: unknown;
  readonly options: KvStoreSetOptions | undefined;
}

export class GloseKvStore implements KvStore {
  readonly #db: Db;

  // Each delivery reads a few entries (the circuit breaker's state, the signature spec of the
  // server) and writes one (that spec): concurrent reads go in one statement, writes in another.
  readonly #reads = new Batches<KvKey, unknown>(async (keys) => {
    const rows = await this.#db
      .selectFrom("fedify_kv")
      .select(["key", "value"])
      .where("key", "in", [...new Set(keys.map((key) => JSON.stringify(key)))].map((key) => textArray(JSON.parse(key))))
      .where(live())
      .execute();
    const values = new Map(rows.map((row) => [JSON.stringify(row.key), row.value]));
    return keys.map((key) => values.get(JSON.stringify(key)));
  }, 200);
  readonly #writes = new Batches<Entry, void>(async (entries) => {
    await this.#upsert(entries);
    return entries.map(() => undefined);
  }, 200);

  constructor(db: Db) {
    this.#db = db;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    // Within a transaction, a read must see what the transaction wrote.
    if (!inAmbientTransaction()) return (await this.#reads.add(key)) as T | undefined;
    const row = await this.#db
      .selectFrom("fedify_kv")
      .select("value")
      .where("key", "=", textArray(key))
      .where(live())
      .executeTakeFirst();
    return row === undefined ? undefined : (row.value as T);
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const entry = { key, value, options };
    if (inAmbientTransaction()) await this.#upsert([entry]);
    else await this.#writes.add(entry);
  }

  /** One statement; of two entries for the same key, the later one counts. */
  async #upsert(entries: readonly Entry[]): Promise<void> {
    const latest = new Map(entries.map((entry) => [JSON.stringify(entry.key), entry]));
    const rows = [...latest.values()].map(({ key, value, options }) => ({ key: textArray(key), value: jsonb(value), expires_at: expiresAt(options) }));
    await this.#db
      .insertInto("fedify_kv")
      .values(rows)
      .onConflict((oc) =>
        oc
          .column("key")
          .doUpdateSet({ value: (eb) => eb.ref("excluded.value"), expires_at: (eb) => eb.ref("excluded.expires_at") })
          // The same value again (each delivery remembers its server's signature spec): no new row version.
          .where((eb) => eb.or([sql<boolean>`fedify_kv.value is distinct from excluded.value`, sql<boolean>`fedify_kv.expires_at is distinct from excluded.expires_at`])),
      )
      .execute();
  }

  async delete(key: KvKey): Promise<void> {
    await this.#db.deleteFrom("fedify_kv").where("key", "=", textArray(key)).execute();
  }

  /**
   * Sets `key` to `newValue` if its current value is structurally equal to `expectedValue`
   * (`undefined` meaning absent or expired). Each case is one statement, so PostgreSQL's row
   * locks make it atomic across processes: a concurrent writer waits, then re-checks the WHERE
   * clause against the row as the winner left it.
   */
  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const row = { key: textArray(key), value: jsonb(newValue), expires_at: expiresAt(options) };
    if (expectedValue === undefined) {
      const result = await this.#db
        .insertInto("fedify_kv")
        .values(row)
        .onConflict((oc) =>
          oc
            .column("key")
            .doUpdateSet({ value: (eb) => eb.ref("excluded.value"), expires_at: (eb) => eb.ref("excluded.expires_at") })
            // An expired row counts as absent, so it may be taken over.
            .where("fedify_kv.expires_at", "<=", sql<Date>`now()`),
        )
        .returning(sql<number>`1`.as("swapped"))
        .executeTakeFirst();
      return result !== undefined;
    }
    const result = await this.#db
      .updateTable("fedify_kv")
      .set({ value: row.value, expires_at: row.expires_at })
      .where("key", "=", row.key)
      .where("value", "=", jsonb(expectedValue))
      .where(live())
      .returning(sql<number>`1`.as("swapped"))
      .executeTakeFirst();
    return result !== undefined;
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    let query = this.#db.selectFrom("fedify_kv").select(["key", "value"]).where(live());
    if (prefix !== undefined) {
      // Element-wise: ["a", "b"] is a prefix of ["a", "b", "c"] but not of ["a", "bc"].
      query = query.where(sql<boolean>`key[1:${prefix.length}] = ${textArray(prefix)}`);
    }
    const rows = await query.orderBy("key").execute();
    for (const row of rows) yield { key: row.key as unknown as KvKey, value: row.value };
  }

  /** Removes expired entries; returns how many. Called on a timer by the worker. */
  async deleteExpired(): Promise<number> {
    const result = await this.#db.deleteFrom("fedify_kv").where("expires_at", "<=", sql<Date>`now()`).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function live() {
  return sql<boolean>`(fedify_kv.expires_at is null or fedify_kv.expires_at > now())`;
}

function textArray(key: KvKey): RawBuilder<string[]> {
  return sql<string[]>`${[...key]}::text[]`;
}


// Computed by the database, so that every process agrees on when an entry expires.
function expiresAt(options: KvStoreSetOptions | undefined): RawBuilder<Date> | null {
  if (options?.ttl === undefined) return null;
  const ms = options.ttl.total({ unit: "millisecond" });
  return sql<Date>`now() + ${ms}::double precision * interval '1 millisecond'`;
}
