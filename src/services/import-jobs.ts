// Long imports run in the background: the admin queues a job (the uploaded file, or a Shaarli
// instance to read), a worker takes it, and its row tells the admin page how far it got.
import { getLogger } from "@logtape/logtape";
import { sql } from "kysely";
import { failureText, IMPORT_MESSAGES_EN, problemText, type ImportFailure, type ImportMessages, type ImportProblem } from "../content/import-failures.ts";
import { ImportFormatError } from "../content/imported-link.ts";
import type { Db } from "../data/client.ts";
import { jsonb } from "../data/json.ts";
import { fetchShaarliLinks } from "../remote/shaarli-api.ts";
import { importLinks, type ImportCounts, type ImportDeps, type ImportOptions } from "./importing.ts";
import { sourceFromBytes, type ImportSource } from "./import-sources.ts";

const logger = getLogger(["glose", "import"]);
export const IMPORT_CHANNEL = "glose_import_jobs";

export interface JobOptions extends ImportOptions {
  /** For a Shaarli instance: its address and API secret (forgotten once the job ends). */
  readonly url?: string;
  readonly secret?: string;
}

export async function queueImportJob(
  db: Db,
  job: { source: "file"; file: Uint8Array; options: ImportOptions } | { source: "shaarli-api"; options: JobOptions },
): Promise<number> {
  const row = await db
    .insertInto("import_jobs")
    .values({ source: job.source, options: jsonb(job.options), file: job.source === "file" ? job.file : null })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`select pg_notify(${IMPORT_CHANNEL}, '')`.execute(db);
  return Number(row.id);
}

/** What went wrong in a job: the links refused, or why the whole source was (null: not its fault, see the log). */
export type ImportJobIssues = { readonly problems: readonly ImportProblem[] } | { readonly failure: ImportFailure | null };

export interface ImportJobView {
  readonly id: number;
  readonly status: "queued" | "running" | "done" | "failed";
  readonly source: "file" | "shaarli-api";
  readonly dryRun: boolean;
  readonly processed: number;
  readonly counts: ImportCounts | null;
  /** What went wrong, as data; null for a job that went well, or one older than this column. */
  readonly issues: ImportJobIssues | null;
  /** The same in English, which is all that jobs older than `issues` have. */
  readonly error: string | null;
  readonly createdAt: Date;
}

export async function listImportJobs(db: Db, limit = 10): Promise<ImportJobView[]> {
  const rows = await db
    .selectFrom("import_jobs")
    .select(["id", "status", "source", "options", "processed", "counts", "issues", "error", "created_at"])
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    status: row.status,
    source: row.source,
    dryRun: row.options.dryRun === true,
    processed: row.processed,
    counts: row.counts as ImportCounts | null,
    issues: row.issues as ImportJobIssues | null,
    error: row.error,
    createdAt: row.created_at,
  }));
}

/** Takes the oldest queued job, if any, and runs it to its end. Returns whether there was one. */
export async function runNextImportJob(deps: ImportDeps & { progressDb: Db | null }): Promise<boolean> {
  const { db } = deps.publishing;
  const job = await db
    .updateTable("import_jobs")
    .set({ status: "running", updated_at: new Date() })
    .where("id", "=", (eb) =>
      eb.selectFrom("import_jobs").select("id").where("status", "=", "queued").orderBy("id").limit(1).forUpdate().skipLocked(),
    )
    .returning(["id", "source", "options", "file"])
    .executeTakeFirst();
  if (job === undefined) return false;
  const options = job.options as unknown as JobOptions;
  try {
    const source: ImportSource =
      job.source === "file"
        ? sourceFromBytes(job.file ?? new Uint8Array())
        : { format: "datastore", name: "Shaarli", links: await fetchShaarliLinks({ url: options.url ?? "", secret: options.secret ?? "" }) };
    const report = await importLinks(deps, source.links, { ...options, sourceName: source.name }, async (processed, counts) => {
      // On PGlite the import's transaction holds the only connection: progress waits for the end.
      await deps.progressDb?.updateTable("import_jobs").set({ processed, counts: jsonb(counts), updated_at: new Date() }).where("id", "=", job.id).execute();
    });
    await finish(db, job.id, { status: "done", counts: report.counts, issues: report.problems.length > 0 ? { problems: report.problems } : null });
  } catch (error) {
    if (!(error instanceof ImportFormatError)) logger.error("Import job {id} failed: {error}", { id: job.id, error });
    await finish(db, job.id, { status: "failed", counts: null, issues: { failure: error instanceof ImportFormatError ? error.failure : null } });
  }
  return true;
}

async function finish(db: Db, id: number, result: { status: "done" | "failed"; counts: ImportCounts | null; issues: ImportJobIssues | null }) {
  await db
    .updateTable("import_jobs")
    .set({
      status: result.status,
      counts: result.counts === null ? null : jsonb(result.counts),
      processed: result.counts === null ? 0 : result.counts.new + result.counts.duplicates + result.counts.errors,
      issues: result.issues === null ? null : jsonb(result.issues),
      error: result.issues === null ? null : issuesText(result.issues),
      // The file and the Shaarli secret are not kept once the job is over.
      file: null,
      options: sql`options - 'secret'`,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .execute();
}

/** A job's issues, one a line, in English unless told otherwise. */
export function issuesText(issues: ImportJobIssues, messages: ImportMessages = IMPORT_MESSAGES_EN): string {
  if ("problems" in issues) return issues.problems.map((problem) => problemText(problem, messages)).join("\n");
  return issues.failure === null ? messages.unexpected : failureText(issues.failure, messages);
}

/** Runs queued jobs until `signal` aborts: woken by NOTIFY, and every 30 s in case one was missed. */
export async function runImportWorker(
  deps: ImportDeps & { progressDb: Db | null },
  listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>,
  signal: AbortSignal,
): Promise<void> {
  let wake: () => void = () => {};
  const unlisten = await listen(IMPORT_CHANNEL, () => wake()).catch(() => null);
  // A job left running by a process that died is taken again: at once on the embedded database,
  // which only this process opens; after an hour without news on PostgreSQL, where another
  // worker may still be running it.
  const stale = deps.progressDb === null ? new Date() : new Date(Date.now() - 3600_000);
  await deps.publishing.db
    .updateTable("import_jobs")
    .set({ status: "queued" })
    .where("status", "=", "running")
    .where("updated_at", "<", stale)
    .execute()
    .catch((error: unknown) => logger.error("Import worker: cannot take back interrupted jobs: {error}", { error }));
  while (!signal.aborted) {
    try {
      while (!signal.aborted && (await runNextImportJob(deps)));
    } catch (error) {
      logger.error("Import worker: {error}", { error });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      signal.addEventListener("abort", wake, { once: true });
    });
  }
  // The database may be gone already (shutting down): nothing left to stop listening to.
  await unlisten?.().catch((error: unknown) => logger.debug("Import worker: could not stop listening: {error}", { error }));
}
