// Imports, exports and backups on a real database: the French sample corpus goes through a
// Netscape file, an export and a second import unchanged; a backup restored into a fresh Glose
// backs up to the same archive; broken files import nothing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { NETSCAPE_FOOTER, NETSCAPE_HEADER, netscapeEntry } from "../../src/content/netscape-export.ts";
import { problemText } from "../../src/content/import-failures.ts";
import { ImportFormatError } from "../../src/content/imported-link.ts";
import type { Db } from "../../src/data/client.ts";
import { POST_COLUMNS } from "../../src/data/posts.ts";
import { searchPosts } from "../../src/data/search.ts";
import { BackupError, restoreBackup, writeBackup } from "../../src/services/backup.ts";
import { exportNetscape } from "../../src/services/exporting.ts";
import { sourceFromBytes } from "../../src/services/import-sources.ts";
import { importLinks, type ImportOptions } from "../../src/services/importing.ts";
import { listImportJobs, queueImportJob, runNextImportJob } from "../../src/services/import-jobs.ts";
import type { PostFederation } from "../../src/services/publishing.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";

const ORIGIN = "https://blog.example";
const corpus = readFileSync(new URL("../fixtures/sblog-posts.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "");
const TAGS = ["politique", "tech", "médias", "économie", "fédivers", "sécurité"];

/** The corpus as a Shaarli export: one link per line, every fifth private, a day apart. */
function corpusFile(): Buffer {
  const entries = corpus.map((line, i) =>
    netscapeEntry({
      url: `https://example.org/sblog/${i}?ref=${i % 3}`,
      title: line.slice(0, 80),
      description: `${line}\n\n> ${corpus[(i * 7 + 3) % corpus.length]}`,
      tags: [TAGS[i % TAGS.length]!, ...(i % 4 === 0 ? ["à-lire"] : [])],
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000),
      updatedAt: null,
      private: i % 5 === 0,
    }),
  );
  return Buffer.from(NETSCAPE_HEADER + entries.join("") + NETSCAPE_FOOTER);
}

function recorder(): PostFederation & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    published: async (post) => void sent.push(`Create ${post.title}`),
    edited: async (post) => void sent.push(`Update ${post.title}`),
    withdrawn: async (post) => void sent.push(`Delete ${post.title}`),
  };
}

async function importBytes(db: Db, bytes: Uint8Array, options: Partial<ImportOptions> = {}, federation = recorder()) {
  return await importLinks({ publishing: { db, federation }, origin: ORIGIN }, sourceFromBytes(bytes).links, { duplicates: "skip", ...options });
}

async function posts(db: Db) {
  const rows = await db.selectFrom("posts").select(POST_COLUMNS).orderBy("published_at").execute();
  return rows.map(({ url, title, comment, comment_html, tags, visibility, language, published_at, deleted_at }) => ({
    url, title, comment, comment_html, tags, visibility, language, published_at: published_at.toISOString(), deleted_at,
  }));
}

async function exportText(db: Db, selection: "all" | "public" | "private" = "all"): Promise<string> {
  let text = "";
  for await (const chunk of exportNetscape(db, ORIGIN, selection)) text += chunk;
  return text;
}

async function backup(db: Db, keys = false): Promise<string> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  await writeBackup(db, output, { keys, now: new Date("2026-01-01T00:00:00Z") });
  return gunzipSync(Buffer.concat(chunks)).toString("utf8");
}

for (const backend of backends()) {
  describe(`moving in and out (${backend})`, () => {
    const databases: TestDatabase[] = [];
    const fresh = async () => {
      const database = await createTestDatabase(backend);
      databases.push(database);
      return database.db;
    };
    let first: Db;
    before(async () => {
      first = await fresh();
    });
    after(async () => {
      for (const database of databases) await database.drop();
    });

    it("imports the corpus, exports it, and imports the export into a fresh Glose unchanged", async () => {
      const federation = recorder();
      const report = await importBytes(first, corpusFile(), {}, federation);
      assert.deepEqual(report.counts, { new: corpus.length, duplicates: 0, updated: 0, private: Math.ceil(corpus.length / 5), errors: 0 });
      assert.deepEqual(federation.sent, [], "an import sends nothing");
      const imported = await posts(first);
      assert.equal(imported[0]!.published_at, "2024-01-01T00:00:00.000Z");
      assert.equal(imported[0]!.url, `https://example.org/sblog/0?ref=0`);
      assert.match(imported[1]!.comment_html, /<blockquote>/);

      const exported = await exportText(first);
      const second = await fresh();
      await importBytes(second, Buffer.from(exported));
      assert.deepEqual(await posts(second), imported);

      // Imported posts are in the search and the outbox's selection, with their old dates.
      const found = await searchPosts(first, { query: "Capgemini", visibilities: ["public"], limit: 5 });
      assert.ok(found.total > 0);
      const federated = await first.selectFrom("posts").select("federated_at").where("visibility", "=", "public").execute();
      assert.ok(federated.every((row) => row.federated_at !== null));
    });

    it("exports public or private posts only", async () => {
      const publicOnly = await exportText(first, "public");
      const privateOnly = await exportText(first, "private");
      assert.doesNotMatch(publicOnly, /PRIVATE="1"/);
      assert.doesNotMatch(privateOnly, /PRIVATE="0"/);
      assert.equal(publicOnly.split("<DT>").length - 1 + privateOnly.split("<DT>").length - 1, corpus.length);
    });

    it("skips links already posted, or updates them, as asked; a dry run writes nothing", async () => {
      const file = Buffer.from(`${NETSCAPE_HEADER}${netscapeEntry({
        url: "https://example.org/sblog/1?ref=1",
        title: "Titre corrigé",
        description: "",
        tags: [],
        createdAt: new Date("2024-01-02T00:00:00Z"),
        updatedAt: null,
        private: false,
      })}<DT><A HREF="javascript:alert(1)">Mauvais</A>\n${NETSCAPE_FOOTER}`);
      const before = await posts(first);
      const dry = await importBytes(first, file, { duplicates: "update", dryRun: true });
      assert.deepEqual(dry.counts, { new: 0, duplicates: 1, updated: 1, private: 0, errors: 1 });
      assert.deepEqual(dry.problems, [{ place: { unit: "line", number: 10 }, code: "invalid-url" }]);
      assert.equal(problemText(dry.problems[0]!), "line 10: not a web address");
      assert.deepEqual(await posts(first), before);
      const skipped = await importBytes(first, file);
      assert.equal(skipped.counts.updated, 0);
      assert.deepEqual(await posts(first), before);
      const updated = await importBytes(first, file, { duplicates: "update" });
      assert.equal(updated.counts.updated, 1);
      const changed = (await posts(first)).find((post) => post.url === "https://example.org/sblog/1?ref=1");
      assert.equal(changed?.title, "Titre corrigé");
    });

    it("counts a link repeated in one file as a duplicate of its first", async () => {
      const entry = (title: string) => `<DT><A HREF="https://example.net/twice?utm_source=x" ADD_DATE="1400000000">${title}</A>\n`;
      const report = await importBytes(first, Buffer.from(`${NETSCAPE_HEADER}${entry("Premier")}${entry("Second")}${NETSCAPE_FOOTER}`));
      assert.deepEqual(report.counts, { new: 1, duplicates: 1, updated: 0, private: 0, errors: 0 });
      const twice = (await posts(first)).filter((post) => post.url === "https://example.net/twice");
      assert.deepEqual(twice.map((post) => post.title), ["Premier"]);
    });

    it("imports nothing from a file that breaks half-way", async () => {
      const count = (await posts(first)).length;
      const text = corpusFile().toString("utf8").replaceAll("sblog/", "other/");
      const truncated = Buffer.from(text.slice(0, Math.floor(text.length * 0.8)));
      await assert.rejects(
        importBytes(first, truncated),
        (error: unknown) =>
          error instanceof ImportFormatError &&
          /^line \d+: the file ends inside/.test(error.message) &&
          /^ends-inside-(link|folder)$/.test(error.failure.code) &&
          "line" in error.failure &&
          error.message.startsWith(`line ${error.failure.line}:`),
      );
      const notUtf8 = Buffer.concat([Buffer.from(text.slice(0, 5000)), Buffer.from([0xe9, 0x20]), Buffer.from(text.slice(5000))]);
      await assert.rejects(importBytes(first, notUtf8), /not UTF-8/);
      await assert.rejects(importBytes(first, Buffer.from("<?php /* nope */ ?>")), /datastore\.php/);
      const valid = text.slice(0, text.lastIndexOf("</DL>"));
      const deep = `${valid}${"<DT><H3>x</H3>\n<DL><p>\n".repeat(10_000)}${"</DL><p>\n".repeat(10_001)}`;
      await assert.rejects(importBytes(first, Buffer.from(deep)), /folders nested deeper than 100 levels/);
      const long = `${valid}<DT><A HREF="https://example.org/long">${"x".repeat(5 * 1024 * 1024)}</A>\n</DL><p>\n`;
      await assert.rejects(importBytes(first, Buffer.from(long)), /a title longer than 1000 characters/);
      assert.equal((await posts(first)).length, count);
    });

    it("announces the import in one post only when asked", async () => {
      const federation = recorder();
      const file = Buffer.from(`${NETSCAPE_HEADER}<DT><A HREF="https://example.net/a" ADD_DATE="1500000000">A</A>\n<DT><A HREF="https://example.net/b" ADD_DATE="1500000001">B</A>\n${NETSCAPE_FOOTER}`);
      await importBytes(first, file, { announce: true, sourceName: "Shaarli" }, federation);
      assert.deepEqual(federation.sent, ["Create Imported 2 links from Shaarli"]);
    });

    it("runs queued jobs to their end, and forgets the file and the Shaarli secret", async () => {
      const jobs = await fresh();
      const deps = { publishing: { db: jobs, federation: recorder() }, origin: ORIGIN, progressDb: null };
      await queueImportJob(jobs, { source: "file", file: corpusFile(), options: { duplicates: "skip" } });
      await queueImportJob(jobs, { source: "shaarli-api", options: { duplicates: "skip", url: "http://127.0.0.1:1/", secret: "s3cret" } });
      assert.equal(await runNextImportJob(deps), true);
      assert.equal(await runNextImportJob(deps), true);
      assert.equal(await runNextImportJob(deps), false);
      const [shaarli, file] = await listImportJobs(jobs);
      assert.equal(file!.status, "done");
      assert.equal(file!.counts?.new, corpus.length);
      assert.equal(shaarli!.status, "failed");
      assert.match(shaarli!.error ?? "", /^Shaarli API: cannot reach 127\.0\.0\.1:1/);
      assert.deepEqual(shaarli!.issues, { failure: { code: "api-unreachable", host: "127.0.0.1:1", reason: (shaarli!.issues as { failure: { reason: string } }).failure.reason } });
      assert.equal(file!.issues, null);
      const rows = await jobs.selectFrom("import_jobs").select(["options", "file"]).execute();
      assert.ok(rows.every((row) => row.file === null && !("secret" in row.options)));
    });

    it("backs up, restores into a fresh Glose, and backs up the same archive again", async () => {
      await sql`insert into media (id, content_type, bytes) values ('m1', 'image/png', ${Buffer.from([0, 1, 2, 255, 92, 120])})`.execute(first);
      await sql`insert into followers (actor_id, follow_id, inbox_url, handle) values ('https://peer.example/users/alice', 'https://peer.example/f/1', 'https://peer.example/users/alice/inbox', '@alice@peer.example')`.execute(first);
      const archive = await backup(first);
      assert.match(archive.split("\n")[0]!, /"format":"glose-backup"/);
      assert.doesNotMatch(archive, /"table":"key_pairs"|"table":"sessions"|"table":"fedify_queue"/);
      const restoredDb = await fresh();
      const gzip = (await import("node:zlib")).gzipSync(Buffer.from(archive));
      const report = await restoreBackup(restoredDb, Readable.from([gzip]));
      assert.ok(report.rows > corpus.length);
      assert.equal(await backup(restoredDb), archive);
      const media = await restoredDb.selectFrom("media").select("bytes").executeTakeFirstOrThrow();
      assert.deepEqual([...media.bytes], [0, 1, 2, 255, 92, 120]);
      // New rows continue after the restored serial ids.
      await sql`insert into post_history (event, post_id) values ('SETTINGS', null)`.execute(restoredDb);

      await assert.rejects(restoreBackup(restoredDb, Readable.from([gzip])), (error: unknown) => error instanceof BackupError && /already has posts/.test(error.message));
      await assert.rejects(restoreBackup(await fresh(), Readable.from([Buffer.from("not gzip")])), BackupError);
      await restoreBackup(restoredDb, Readable.from([gzip]), { force: true });
      assert.equal(await backup(restoredDb), archive);
    });
  });
}
