import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import type { KvKey } from "@fedify/fedify";
import { openDatabase, type Database } from "../../src/data/client.ts";
import { GloseKvStore } from "../../src/federation/kv-store.ts";
import { Temporal } from "../../src/temporal.ts";
import { backends, createTestDatabase, type BackendName, type TestDatabase } from "../helpers/database.ts";

async function withStore(backend: BackendName, test: (kv: GloseKvStore, database: TestDatabase) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(backend);
  try {
    await test(new GloseKvStore(database.db), database);
  } finally {
    await database.drop();
  }
}

async function entries(kv: GloseKvStore, prefix?: KvKey): Promise<{ key: KvKey; value: unknown }[]> {
  const found = [];
  for await (const entry of kv.list(prefix)) found.push({ key: entry.key, value: entry.value });
  return found.sort((a, b) => compareKeys(a.key, b.key));
}

function compareKeys(a: KvKey, b: KvKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

const second = Temporal.Duration.from({ seconds: 1 });

for (const backend of backends()) {
  describe(`GloseKvStore (${backend})`, () => {
    it("stores and returns JSON values of every kind, and deletes them", () =>
      withStore(backend, async (kv) => {
        const values: [KvKey, unknown][] = [
          [["string"], "hello, \"world\" \\ ünïcode"],
          [["number"], 42.5],
          [["zero"], 0],
          [["boolean"], false],
          [["null"], null],
          [["object"], { a: 1, nested: { list: [1, "two", null], empty: {} } }],
          [["array"], [1, [2, 3], { x: "y" }]],
          [["NULL", "a,b", '"q"', "{x}", "\\", ""], "awkward key parts"],
        ];
        for (const [key, value] of values) await kv.set(key, value);
        for (const [key, value] of values) assert.deepEqual(await kv.get(key), value, JSON.stringify(key));
        assert.equal(await kv.get(["missing"]), undefined);

        await kv.delete(["object"]);
        await kv.delete(["never-set"]);
        assert.equal(await kv.get(["object"]), undefined);
        assert.equal(await kv.get(["array"]).then((v) => Array.isArray(v)), true);
      }));

    it("overwrites a value, and an overwrite without a TTL keeps the entry for good", () =>
      withStore(backend, async (kv) => {
        await kv.set(["k"], "first", { ttl: second });
        await kv.set(["k"], { second: true });
        assert.deepEqual(await kv.get(["k"]), { second: true });
        await sleep(1200);
        assert.deepEqual(await kv.get(["k"]), { second: true });
      }));

    it("treats an expired entry as absent in get, list and cas, and deleteExpired removes it", () =>
      withStore(backend, async (kv, database) => {
        await kv.set(["ttl", "a"], "short-lived", { ttl: second });
        await kv.set(["ttl", "b"], "short-lived too", { ttl: second });
        await kv.set(["ttl", "kept"], "forever");
        assert.equal(await kv.get(["ttl", "a"]), "short-lived");
        await sleep(1200);

        assert.equal(await kv.get(["ttl", "a"]), undefined);
        assert.deepEqual(await entries(kv, ["ttl"]), [{ key: ["ttl", "kept"], value: "forever" }]);
        assert.equal(await kv.cas(["ttl", "a"], "short-lived", "swapped"), false);
        assert.equal(await kv.cas(["ttl", "a"], undefined, "taken over"), true);
        assert.equal(await kv.get(["ttl", "a"]), "taken over");

        assert.equal(await kv.deleteExpired(), 1);
        const keys = await database.db.selectFrom("fedify_kv").select("key").orderBy("key").execute();
        assert.deepEqual(keys.map((row) => row.key), [["ttl", "a"], ["ttl", "kept"]]);
      }));

    it("lists everything, or the entries under an element-wise key prefix", () =>
      withStore(backend, async (kv) => {
        for (const key of [["a"], ["a", "b"], ["a", "b", "c"], ["a", "bc"], ["b"]] as KvKey[]) await kv.set(key, key.join("/"));
        assert.deepEqual(
          (await entries(kv)).map((entry) => entry.key),
          [["a"], ["a", "b"], ["a", "b", "c"], ["a", "bc"], ["b"]],
        );
        assert.deepEqual(await entries(kv, ["a", "b"]), [
          { key: ["a", "b"], value: "a/b" },
          { key: ["a", "b", "c"], value: "a/b/c" },
        ]);
        assert.equal((await entries(kv, ["a"])).length, 4);
        assert.deepEqual(await entries(kv, ["a", "b", "c", "d"]), []);
        assert.deepEqual(await entries(kv, ["c"]), []);
      }));

    it("compares and swaps: absent, matching, mismatching", () =>
      withStore(backend, async (kv) => {
        assert.equal(await kv.cas(["c"], undefined, { n: 1, tags: ["x"] }), true);
        assert.equal(await kv.cas(["c"], undefined, "again"), false);
        assert.equal(await kv.cas(["absent"], null, 1), false);
        assert.equal(await kv.get(["absent"]), undefined);

        // Structural equality: key order in an object does not matter.
        assert.equal(await kv.cas(["c"], { tags: ["x"], n: 1 }, { n: 2 }), true);
        assert.deepEqual(await kv.get(["c"]), { n: 2 });
        assert.equal(await kv.cas(["c"], { n: 1 }, { n: 3 }), false);
        assert.equal(await kv.cas(["c"], { n: "2" }, { n: 3 }), false);
        assert.deepEqual(await kv.get(["c"]), { n: 2 });

        assert.equal(await kv.cas(["c"], { n: 2 }, "expiring", { ttl: second }), true);
        await sleep(1200);
        assert.equal(await kv.get(["c"]), undefined);
        assert.equal(await kv.cas(["c"], "expiring", "late"), false);
      }));

    it("lets exactly one of 20 concurrent compare-and-swaps win", { timeout: 30_000 }, () =>
      withStore(backend, async (kv, database) => {
        // On PostgreSQL, two separate pools race, as two Glose processes would.
        let other: Database | null = null;
        if (backend === "postgres") other = await openDatabase({ url: database.env.DATABASE_URL!, dataDir: null });
        try {
          const stores = [kv, other === null ? kv : new GloseKvStore(other.db)];
          await kv.set(["counter"], 0);
          const swaps = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.cas(["counter"], 0, 1)));
          assert.equal(swaps.filter(Boolean).length, 1);
          assert.equal(await kv.get(["counter"]), 1);

          const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.cas(["lock"], undefined, i)));
          assert.equal(claims.filter(Boolean).length, 1);
          assert.equal(await kv.get(["lock"]), claims.indexOf(true));
        } finally {
          await other?.close();
        }
      }));

    it("keeps values across closing and reopening the database", () =>
      withStore(backend, async (kv, database) => {
        await kv.set(["durable", "x"], { kept: [1, 2, 3] });
        await database.close();
        const reopened = await openDatabase({ url: database.env.DATABASE_URL ?? null, dataDir: database.env.DATA_DIR ?? null });
        try {
          assert.deepEqual(await new GloseKvStore(reopened.db).get(["durable", "x"]), { kept: [1, 2, 3] });
        } finally {
          await reopened.close();
        }
      }));

    it("refuses to store undefined", () =>
      withStore(backend, async (kv) => {
        await assert.rejects(kv.set(["u"], undefined), TypeError);
      }));
  });
}
