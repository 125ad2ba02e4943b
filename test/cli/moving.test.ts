// The moving commands as cron jobs run them: import (with a dry run), export, backup and restore,
// each failing with one line and a non-zero exit.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { datastoreFile, phpDateTime } from "../helpers/php-serialize.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";

const ROOT = new URL("../../", import.meta.url);
const fixture = (name: string) => new URL(`test/fixtures/bookmarks/${name}`, ROOT).pathname;

function run(command: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`src/cli/${command}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ORIGIN: "https://blog.example", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

for (const backend of backends()) {
  describe(`import, export, backup and restore commands (${backend})`, () => {
    let dir: string;
    let source: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let target: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), "glose-moving-cli-"));
      source = await createTestDatabaseEnv(backend);
      target = await createTestDatabaseEnv(backend);
    });
    after(async () => {
      await source?.drop();
      await target?.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it("imports a datastore.php, then a bookmark file after a dry run", async () => {
      const datastore = join(dir, "datastore.php");
      await writeFile(
        datastore,
        datastoreFile({
          array: [[0, { array: [["url", "https://pinboard.in/tour/"], ["title", "Tour"], ["tags", "a b"], ["private", 0], ["created", phpDateTime("2014-12-17 18:13:20", "UTC")], ["shorturl", "AAAAAA"]] }]],
        }),
      );
      const first = await run("import", [datastore], source.env);
      assert.equal(first.status, 0, first.stderr);
      assert.equal(first.stdout.trim(), "Imported: 1 new, 0 duplicates (0 updated), 0 private, 0 errors");
      const dry = await run("import", [fixture("pinboard.html"), "--dry-run", "--duplicates=update"], source.env);
      assert.equal(dry.stdout.trim(), "Dry run, nothing written: 2 new, 1 duplicates (1 updated), 1 private, 0 errors");
      const real = await run("import", [fixture("pinboard.html"), "--duplicates=skip"], source.env);
      assert.equal(real.stdout.trim(), "Imported: 2 new, 1 duplicates (0 updated), 1 private, 0 errors");
    });

    it("fails with one line on a broken file or a wrong option", async () => {
      const broken = join(dir, "broken.html");
      await writeFile(broken, (await readFile(fixture("firefox.html"), "utf8")).slice(0, 900));
      const failed = await run("import", [broken], source.env);
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, /^glose import: line \d+: the file ends inside a folder \(is it truncated\?\)\n$/);
      const option = await run("import", [broken, "--duplicates=maybe"], source.env);
      assert.equal(option.status, 1);
      assert.equal(option.stderr, "glose import: --duplicates must be skip or update\n");
      const missing = await run("restore", [join(dir, "missing.gz")], target.env);
      assert.equal(missing.status, 1);
      assert.equal(missing.stderr, `glose restore: ${join(dir, "missing.gz")}: no such file\n`);
    });

    it("backs up and restores into an empty Glose, and refuses a full one", async () => {
      const archive = join(dir, "backup.jsonl.gz");
      const backup = await run("backup", [archive, "--keys"], source.env);
      assert.equal(backup.status, 0, backup.stderr);
      const restore = await run("restore", [archive], target.env);
      assert.equal(restore.status, 0, restore.stderr);
      assert.match(restore.stdout, /^Restored \d+ rows in \d+ tables/);
      const refused = await run("restore", [archive], target.env);
      assert.equal(refused.status, 1);
      assert.equal(refused.stderr, "glose restore: this Glose already has posts: restore into an empty one, or use --force\n");
      const file = join(dir, "public.html");
      const exported = await run("export", [file, "--public"], target.env);
      assert.equal(exported.status, 0, exported.stderr);
      const text = await readFile(file, "utf8");
      assert.equal(text.match(/<DT>/g)?.length, 2);
      assert.match(text, /<DT><A HREF="https:\/\/pinboard\.in\/tour\/" ADD_DATE="1418840000" PRIVATE="0" TAGS="a,b">Tour<\/A>/);
    });
  });
}
