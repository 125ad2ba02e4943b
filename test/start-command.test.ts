// `npm start` and the Docker image start Glose with the same memory settings, and Node takes them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const root = new URL("../", import.meta.url);
const start = /^((?:\w+=\S+ )*)node (.*)src\/main\.ts$/.exec(JSON.parse(readFileSync(new URL("package.json", root), "utf8")).scripts.start);
const startEnv = Object.fromEntries((start?.[1] ?? "").trim().split(/\s+/).filter(Boolean).map((pair) => pair.split("=")));
const startArgs = (start?.[2] ?? "").trim().split(/\s+/).filter(Boolean);

function heapLimitMb(args: string[]): number {
  const run = spawnSync(process.execPath, [...args, "-p", "v8.getHeapStatistics().heap_size_limit / 2 ** 20"], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout);
}

describe("start command", () => {
  it("is `node src/main.ts` with memory settings", () => {
    assert.ok(start, "package.json's start script");
    assert.deepEqual(startEnv, { MALLOC_TRIM_THRESHOLD_: "1048576" });
    assert.deepEqual(startArgs, ["--max-semi-space-size=4", "--max-old-space-size=1024"]);
  });

  it("is the Docker image's", () => {
    const dockerfile = readFileSync(new URL("Dockerfile", root), "utf8");
    const cmd = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]!) as string[];
    assert.deepEqual(cmd, ["node", ...startArgs, "src/main.ts"]);
    for (const [name, value] of Object.entries(startEnv)) assert.match(dockerfile, new RegExp(`^ENV [^]*?\\b${name}=${value}\\b`, "m"));
  });

  it("bounds V8's heap: 1 GB of old generation, a young generation smaller than Node's", () => {
    const limit = heapLimitMb(startArgs);
    assert.ok(limit >= 1024, `${limit} MB`);
    assert.ok(limit < heapLimitMb(["--max-old-space-size=1024"]), `${limit} MB`);
  });
});
