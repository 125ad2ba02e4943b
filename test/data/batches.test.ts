// Group writes: items handed in together go in one call; one item the writer refuses fails alone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Batches } from "../../src/data/batches.ts";

describe("Batches", () => {
  it("writes what concurrent callers hand in together, and a lone item at once", async () => {
    const calls: number[][] = [];
    const batches = new Batches<number, number>(async (items) => {
      calls.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return items.map((item) => item * 2);
    });
    assert.deepEqual(await batches.add(1), 2);
    const first = batches.add(2);
    await new Promise((resolve) => setImmediate(resolve));
    // Added while the first statement runs: they wait for it, then go together.
    const rest = await Promise.all([batches.add(3), batches.add(4), batches.add(5)]);
    assert.deepEqual([await first, ...rest], [4, 6, 8, 10]);
    assert.deepEqual(calls, [[1], [2], [3, 4, 5]]);
  });

  it("fails only the item the writer refuses, not the others of its batch", async () => {
    const batches = new Batches<string, string>(async (items) => {
      if (items.some((item) => item.includes("\u0000"))) throw new Error("refused");
      return items.map((item) => item.toUpperCase());
    });
    const results = await Promise.allSettled([batches.add("a"), batches.add("b\u0000"), batches.add("c")]);
    assert.deepEqual(
      results.map((result) => (result.status === "fulfilled" ? result.value : (result.reason as Error).message)),
      ["A", "refused", "C"],
    );
  });

  it("writes at most `max` items a call", async () => {
    const sizes: number[] = [];
    const batches = new Batches<number, null>(async (items) => {
      sizes.push(items.length);
      return items.map(() => null);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batches.add(n)));
    assert.deepEqual(sizes, [2, 2, 1]);
  });
});
