// `npm run migrate` on its own: brings a fresh embedded database up to date, then says so.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

describe("npm run migrate", () => {
  it("runs the migrations once, then finds nothing to do", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "glose-migrate-"));
    try {
      const run = () =>
        spawnSync(process.execPath, ["src/cli/migrate.ts"], {
          cwd: new URL("../", import.meta.url),
          env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
          encoding: "utf8",
          timeout: 120_000,
        });
      const first = run();
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /^Ran 2026-11-28-01-foundation, /);
      const second = run();
      assert.equal(second.status, 0, second.stderr);
      assert.equal(second.stdout.trim(), "The database is up to date.");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("names DATABASE_URL when the server cannot be reached", () => {
    const run = spawnSync(process.execPath, ["src/cli/migrate.ts"], {
      cwd: new URL("../", import.meta.url),
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: "postgres://glose@127.0.0.1:1/glose" },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^glose: DATABASE_URL: cannot connect to postgres:\/\/glose@127\.0\.0\.1:1\/glose/);
  });
});
