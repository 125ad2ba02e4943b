import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "../src/config.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("has working defaults", () => {
    const config = parseConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.origin, "http://localhost:3000");
    assert.equal(config.databaseUrl, null);
    assert.match(config.dataDir, /data$/);
    assert.equal(config.account, null);
    assert.equal(config.allowPrivateAddress, false);
    assert.equal(config.archiveOnPublish, false);
    assert.equal(config.role, "all");
    assert.equal(config.logLevel, "info");
    assert.equal(config.deliveryRetries, 10);
    assert.equal(config.deleteUndoSeconds, 600);
    assert.equal(config.readCacheBytes, 32 * 1024 * 1024);
    assert.ok(Object.isFrozen(config));
  });

  it("reads every variable", () => {
    const config = parseConfig({
      PORT: "8080",
      ORIGIN: "https://Blog.Example/",
      DATABASE_URL: "postgres://u:p@db/glose",
      DATA_DIR: "/var/lib/glose",
      ACCOUNT: "Owner",
      ADMIN_PASSWORD: "correct horse",
      API_SECRET: "0123456789abcdef0123",
      ALLOW_PRIVATE_ADDRESS: "true",
      ARCHIVE_ON_PUBLISH: "true",
      ROLE: "worker",
      LOG_LEVEL: "debug",
      DELIVERY_RETRIES: "3",
      DELETE_UNDO_SECONDS: "0",
    });
    assert.equal(config.deliveryRetries, 3);
    assert.equal(config.deleteUndoSeconds, 0);
    assert.equal(config.port, 8080);
    assert.equal(config.origin, "https://blog.example");
    assert.equal(config.account, "owner");
    assert.equal(config.dataDir, "/var/lib/glose");
    assert.equal(config.allowPrivateAddress, true);
    assert.equal(config.archiveOnPublish, true);
    assert.equal(config.role, "worker");
    assert.equal(config.deliveryConcurrency, 32);
    assert.equal(config.deliveriesPerServer, 4);
  });

  const wrong: [string, Record<string, string>, RegExp][] = [
    ["a non-numeric port", { PORT: "http" }, /^PORT must be a port number/],
    ["no delivery concurrency", { DELIVERY_CONCURRENCY: "0" }, /^DELIVERY_CONCURRENCY must be a whole number from 1 to 256/],
    ["a fractional DELIVERIES_PER_SERVER", { DELIVERIES_PER_SERVER: "2.5" }, /^DELIVERIES_PER_SERVER must be a whole number from 1 to 64/],
    ["a port out of range", { PORT: "70000" }, /^PORT must be a port number/],
    ["a relative ORIGIN", { ORIGIN: "blog.example" }, /^ORIGIN must be an absolute http\(s\) URL/],
    ["an ftp ORIGIN", { ORIGIN: "ftp://blog.example" }, /^ORIGIN must be an absolute http\(s\) URL/],
    ["an ORIGIN with a path", { ORIGIN: "https://blog.example/blog" }, /^ORIGIN must be an origin without a path/],
    ["a DATABASE_URL of another kind", { DATABASE_URL: "mysql://db/glose" }, /^DATABASE_URL must start with postgres/],
    ["an ACCOUNT with spaces", { ACCOUNT: "my blog", ADMIN_PASSWORD: "long enough" }, /^ACCOUNT must be a username/],
    ["a short ADMIN_PASSWORD", { ACCOUNT: "owner", ADMIN_PASSWORD: "short" }, /^ADMIN_PASSWORD must be at least 8/],
    ["ACCOUNT without ADMIN_PASSWORD", { ACCOUNT: "owner" }, /^ACCOUNT and ADMIN_PASSWORD must be set together/],
    ["a short API_SECRET", { API_SECRET: "abc" }, /^API_SECRET must be at least 16/],
    ["ALLOW_PRIVATE_ADDRESS as yes", { ALLOW_PRIVATE_ADDRESS: "yes" }, /^ALLOW_PRIVATE_ADDRESS must be true or false/],
    ["ARCHIVE_ON_PUBLISH as yes", { ARCHIVE_ON_PUBLISH: "yes" }, /^ARCHIVE_ON_PUBLISH must be true or false/],
    ["an unknown ROLE", { ROLE: "both" }, /^ROLE must be one of all, web, worker/],
    ["ROLE=web on the embedded database", { ROLE: "web" }, /^ROLE=web needs DATABASE_URL/],
    ["an unknown LOG_LEVEL", { LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of/],
    ["an undo window over a day", { DELETE_UNDO_SECONDS: "86401" }, /^DELETE_UNDO_SECONDS must be a number of seconds from 0 to 86400/],
    ["a negative DELIVERY_RETRIES", { DELIVERY_RETRIES: "-1" }, /^DELIVERY_RETRIES must be a number from 0 to 100/],
    ["DELIVERY_RETRIES past 100", { DELIVERY_RETRIES: "1000" }, /^DELIVERY_RETRIES must be a number from 0 to 100/],
    ["a READ_CACHE_MB in words", { READ_CACHE_MB: "lots" }, /^READ_CACHE_MB must be a whole number of megabytes/],
  ];
  for (const [name, env, expected] of wrong) {
    it(`refuses ${name}`, () => {
      const problems = problemsOf(env);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0]!, expected);
    });
  }

  it("lists every bad variable at once", () => {
    assert.equal(problemsOf({ PORT: "x", ORIGIN: "y", LOG_LEVEL: "z" }).length, 3);
  });

  it("stops start-up with one clear line and a non-zero exit", () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["src/main.ts"], {
        cwd: new URL("../", import.meta.url),
        env: { PATH: process.env.PATH ?? "", ...env },
        encoding: "utf8",
        timeout: 60_000,
      });
    const compileCache = mkdtempSync(join(tmpdir(), "glose-compile-cache-"));
    const badPort = run({ PORT: "eighty", NODE_COMPILE_CACHE: compileCache });
    assert.equal(badPort.status, 1);
    assert.ok(readdirSync(compileCache, { recursive: true }).length > 100, "the compiled modules are kept for the next start");
    rmSync(compileCache, { recursive: true, force: true });
    assert.match(badPort.stderr.trim(), /^glose: PORT must be a port number from 1 to 65535, not "eighty"$/);

    const unreachable = run({ DATABASE_URL: "postgres://glose@127.0.0.1:1/glose", PORT: "3999" });
    assert.equal(unreachable.status, 1);
    const lines = unreachable.stderr.trim().split("\n");
    assert.equal(lines.length, 1, unreachable.stderr);
    assert.match(lines[0]!, /^glose: DATABASE_URL: cannot connect to postgres:\/\/glose@127\.0\.0\.1:1\/glose/);
  });
});
