// Fedify's message queue on Glose's own database (table fedify_queue), safe with several worker
// processes on one PostgreSQL. A worker claims a job by leasing its row; the row stays until the
// handler succeeds, so a worker that dies mid-job only delays it until the lease runs out.
// Delivery is at least once: a job is lost neither to a crash nor to a throwing handler.
// What a handler enqueues (Fedify's fan-out to each inbox, its retries), to this queue or another
// on the same database, is written in the same transaction that removes the job, so a crash
// never enqueues it twice; a retry of the running job keeps that job's place among the jobs of
// its ordering key. Outside a handler, enqueue() joins the caller's ambient transaction
// (inTransaction in data/transaction.ts), if any. A delivery's activity and keys, the same for
// all of a fan-out's deliveries, are stored once (queue-parts.ts).
// Every instance writes to the one table; each listen() claims only the kinds (Fedify's message
// types) its instance was made for, so incoming activities, fan-outs and deliveries each get
// their own concurrency, and a delivery is not claimed while its inbox's host already has
// `hostConcurrency` deliveries running, in any process: one slow server holds back only itself.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { sql, type RawBuilder } from "kysely";
import type { Database } from "../data/client.ts";
import { Batches } from "../data/batches.ts";
import { jsonb } from "../data/json.ts";
import { inTransaction } from "../data/transaction.ts";
import { ABANDONED, settleWithin, Wakeup } from "./queue-waiting.ts";
import { currentHold, HOLD_FIELD } from "./held-deliveries.ts";
import { partRows, QueueParts, type PartValues } from "./queue-parts.ts";

const logger = getLogger(["glose", "queue"]);

const CHANNEL = "glose_queue";
// The advisory lock under which claims that count a host's running deliveries take turns.
const HOST_CLAIM_LOCK = 0x676c6f7365;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
// How long a worker with a few free places waits for more before claiming.
const GATHER_MS = 25;
// How long a finished job's outcome is retried while the database is unreachable.
const RECORD_RETRY_MS = [250, 500, 1000, 2000, 4000, 8000, 15_000];
// Jobs enqueued together from which the planner's statistics of the queue are refreshed.
const ANALYZE_AFTER = 100;

export interface GloseMessageQueueOptions {
  /** How long a claimed job is a worker's alone (default 15 s); renewed every third of it while the handler runs. */
  readonly leaseSeconds?: number;
  /** How often an idle worker looks for jobs when no NOTIFY wakes it. */
  readonly pollIntervalMs?: number;
  /** Jobs handled at once by one listen(). */
  readonly concurrency?: number;
  readonly workerId?: string;
  /** Hand-outs before a job whose handler keeps throwing is dropped. */
  readonly maxAttempts?: number;
  /** The delay before the first retry of a job whose handler threw; doubled on each further attempt. */
  readonly retryDelayMs?: number;
  /** How long an aborted listen() waits for running handlers before releasing their jobs. */
  readonly shutdownGraceMs?: number;
  /** The message types ("inbox", "outbox", "fanout") listen() claims; all when unset. */
  readonly kinds?: readonly string[];
  /** Deliveries to one inbox host running at once across all workers; no limit when unset. */
  readonly hostConcurrency?: number;
}

interface Job {
  readonly id: number;
  readonly message: unknown;
  readonly attempts: number;
  readonly ordering_key: string | null;
  /** The job's place among those of its ordering key. */
  readonly position: number;
  /** What locked_by holds while this claim lasts: the worker's id and a claim number. */
  readonly token: string;
}

type Row = {
  message: RawBuilder<string>;
  kind: string;
  host: string | null;
  ordering_key: string | null;
  ordering_position: number | null;
  run_at: RawBuilder<Date>;
  parts: RawBuilder<string[]> | null;
};

/** Messages to write in one statement, with the parts they name. */
interface Batch {
  readonly rows: Row[];
  readonly parts: PartValues;
}

/** The job whose handler runs in this async context, and what that handler has enqueued so far. */
interface Running {
  readonly queue: GloseMessageQueue;
  readonly job: Job;
  readonly enqueued: Batch;
  /** False once the handler has settled: a late enqueue is written at once. */
  collecting: boolean;
}

const running = new AsyncLocalStorage<Running>();

type Handler = (message: any) => Promise<void> | void;

export class GloseMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries with its own policy; the retries here only catch a handler
  // that throws anyway.
  readonly nativeRetrial = false;
  readonly #database: Database;
  readonly #leaseSeconds: number;
  readonly #pollIntervalMs: number;
  readonly #concurrency: number;
  readonly #workerId: string;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #shutdownGraceMs: number;
  readonly #kinds: readonly string[] | null;
  readonly #hostConcurrency: number | null;
  #claims = 0;
  readonly #parts = new QueueParts();
  // Jobs that enqueued nothing (most deliveries) are removed together: one statement for all
  // those that finish while the previous one runs. Each answers whether its claim still held.
  readonly #removals = new Batches<Job, boolean>(async (jobs) => {
    const { rows } = await sql<{ id: number }>`
      delete from fedify_queue
       where (id, locked_by) in (select * from unnest(${jobs.map((job) => job.id)}::bigint[], ${jobs.map((job) => job.token)}::text[]))
      returning id`.execute(this.#database.db);
    const removed = new Set(rows.map((row) => Number(row.id)));
    return jobs.map((job) => removed.has(job.id));
  });

  constructor(database: Database, options: GloseMessageQueueOptions = {}) {
    this.#database = database;
    this.#leaseSeconds = options.leaseSeconds ?? 15;
    this.#pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.#concurrency = options.concurrency ?? 1;
    this.#workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#retryDelayMs = options.retryDelayMs ?? 5000;
    this.#shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
    this.#kinds = options.kinds ?? null;
    this.#hostConcurrency = options.hostConcurrency ?? null;
  }

  async enqueue(message: any, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly any[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    // Inside holdDeliveries(), the jobs wait out the hold and carry its key.
    const hold = currentHold();
    const delayMs = options?.delay?.total({ unit: "millisecond" }) ?? hold?.delayMs;
    const runAt = delayMs === undefined ? sql<Date>`now()` : after(delayMs);
    const orderingKey = options?.orderingKey ?? null;
    const current = running.getStore();
    // Any queue on the same table: a fan-out job's deliveries, which go to the outbox queue, are
    // written with the fan-out job's removal, in one statement.
    const inHandler = current !== undefined && current.queue.#database === this.#database && current.collecting ? current : undefined;
    // A retry of the running job (same ordering key) takes its place, ahead of the key's later jobs.
    const position = inHandler !== undefined && orderingKey !== null && orderingKey === inHandler.job.ordering_key ? inHandler.job.position : null;
    const parts: PartValues = new Map();
    const rows = messages.map((message) => {
      const { stored, names } = this.#parts.split(hold === undefined ? message : { ...message, [HOLD_FIELD]: hold.key }, parts);
      return {
        message: jsonb(stored),
        kind: kindOf(message),
        host: hostOf(message),
        ordering_key: orderingKey,
        ordering_position: position,
        run_at: runAt,
        parts: names.length === 0 ? null : sql<string[]>`${names}::text[]`,
      };
    });
    if (inHandler !== undefined) {
      inHandler.enqueued.rows.push(...rows);
      for (const [hash, value] of parts) inHandler.enqueued.parts.set(hash, value);
      return;
    }
    await this.#insert({ rows, parts });
  }

  /**
   * Inserts jobs and wakes idle workers, together, when the caller's transaction (if any) commits.
   * One statement, no transaction of its own: Fedify enqueues a post's deliveries to a few
   * inboxes all at once, and savepoints taken in parallel in one ambient transaction would not nest.
   */
  async #insert({ rows, parts }: Batch): Promise<void> {
    const { db } = this.#database;
    // The kinds enqueued, so that only the workers of those kinds wake up and claim.
    const kinds = [...new Set(rows.map((row) => row.kind))].join(",");
    const notify = sql`pg_notify(${CHANNEL}, ${kinds})`.as("notified");
    const inserted = db.with("inserted", (cte) => cte.insertInto("fedify_queue").values(rows));
    const statement =
      parts.size === 0
        ? inserted
        : inserted.with("parts", (cte) =>
            cte
              .insertInto("fedify_queue_parts")
              .values(partRows(parts))
              .onConflict((oc) => oc.column("hash").doUpdateSet({ stored_at: sql<Date>`now()` })),
          );
    await statement.selectNoFrom(notify).execute();
    // A fan-out can take the table from empty to thousands of rows at once. With statistics from
    // when it was nearly empty, the planner expects a few rows and checks every queued job's host
    // and ordering on each claim, instead of walking the index until the claim is full.
    if (rows.length >= ANALYZE_AFTER) await sql`analyze fedify_queue`.execute(db);
  }

  /** Jobs waiting for a worker; leased jobs are not counted. */
  async getDepth(): Promise<MessageQueueDepth> {
    const { rows } = await sql<{ ready: number; delayed: number }>`
      select (count(*) filter (where run_at <= now()))::int as ready,
             (count(*) filter (where run_at > now()))::int as delayed
        from fedify_queue
       where locked_until is null or locked_until < now()`.execute(this.#database.db);
    const { ready = 0, delayed = 0 } = rows[0] ?? {};
    return { queued: ready + delayed, ready, delayed };
  }

  /** Handles jobs until `signal` aborts, then waits for running handlers. Never rejects. */
  async listen(handler: Handler, options: MessageQueueListenOptions = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) return;
    const wakeup = new Wakeup();
    let unlisten: (() => Promise<void>) | null = null;
    try {
      unlisten = await this.#database.listen(CHANNEL, (kinds) => {
        if (this.#wants(kinds)) wakeup.notify();
      });
    } catch (error) {
      logger.warn("Cannot listen for new jobs; polling every {ms} ms: {error}", { ms: this.#pollIntervalMs, error });
    }
    await this.#dispatch(handler, signal, wakeup);
    await unlisten?.().catch((error: unknown) => logger.debug("Could not stop listening for new jobs: {error}", { error }));
  }

  /** Whether a notification of jobs of `kinds` concerns this queue (no kinds named: any may). */
  #wants(kinds: string | null): boolean {
    if (this.#kinds === null || kinds === null || kinds === "") return true;
    return kinds.split(",").some((kind) => this.#kinds!.includes(kind));
  }

  // One claim at a time hands out as many jobs as there are free places: a claim costs a few round
  // trips, so claiming job by job would cap a worker at a few hundred jobs a second.
  async #dispatch(handler: Handler, signal: AbortSignal | undefined, wakeup: Wakeup): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    // While most places are taken, a claim waits for a few more to free up (a claim costs the same
    // for one job or many), but never longer than GATHER_MS: places beside slow jobs fill soon.
    const batch = Math.max(1, Math.floor(this.#concurrency / 4));
    let gatherUntil: number | null = null;
    while (!signal?.aborted) {
      // Taken before claiming, so that a NOTIFY or a finished job during the claim cuts the sleep short.
      const generation = wakeup.generation;
      const free = this.#concurrency - inFlight.size;
      if (free < batch) {
        if (free > 0) gatherUntil ??= performance.now() + GATHER_MS;
        const left = free === 0 ? null : gatherUntil! - performance.now();
        if (left === null || left > 0) {
          await firstOf(inFlight, left);
          continue;
        }
      }
      gatherUntil = null;
      try {
        const jobs = await this.#claim(free);
        for (const job of jobs) {
          // Its place is free again, and the next job of its ordering key or host may now run.
          const task: Promise<void> = this.#handle(job, handler, signal).then(() => {
            inFlight.delete(task);
            wakeup.notify();
          });
          inFlight.add(task);
        }
        if (jobs.length === 0) await wakeup.wait(generation, await this.#idleMs(), signal);
      } catch (error) {
        logger.error("The queue worker failed; retrying in {ms} ms: {error}", { ms: this.#pollIntervalMs, error });
        await wakeup.wait(generation, this.#pollIntervalMs, signal);
      }
    }
    await Promise.all(inFlight);
  }

  /** Leases up to `limit` jobs, their messages whole again. */
  async #claim(limit: number): Promise<Job[]> {
    const jobs = await this.#lease(limit);
    const messages = await this.#parts.join(this.#database.db, jobs.map((job) => job.message));
    const whole: Job[] = [];
    for (const [index, job] of jobs.entries()) {
      if (messages[index] !== null) {
        whole.push({ ...job, message: messages[index] });
        continue;
      }
      logger.error("Job {id} names a stored part that is gone; dropping it", { id: job.id, message: job.message });
      await this.#delete(job);
    }
    return whole;
  }

  async #lease(limit: number): Promise<Job[]> {
    // PGlite is one session that runs one statement at a time, and a transaction owns it until it
    // ends: the claim alone sees every lease, and no other claim runs meanwhile.
    if (this.#hostConcurrency === null || this.#database.kind === "pglite") return await this.#claimSome(this.#database.db, limit);
    // Counting a host's running deliveries is exact only if no other worker claims meanwhile: the
    // advisory lock makes counted claims take turns across processes, and the update that follows
    // it sees every claim committed before.
    return await this.#database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${HOST_CLAIM_LOCK})`.execute(trx);
      return await this.#claimSome(trx, limit);
    });
  }

  // One statement: SKIP LOCKED keeps two workers off the same row (on PostgreSQL: PGlite runs no
  // statement beside this one, and locking the candidates, four times the jobs taken, is work
  // in its own thread), and only the first job of an ordering key (by place, then id) is
  // eligible. That job stays in the table while leased, so the next one of its key waits, and a
  // key's jobs run one at a time and in order across processes.
  // A host's jobs are claimed only up to its free places: those already leased plus the job's rank
  // among the host's candidates stay within hostConcurrency.
  async #claimSome(db: Database["db"], limit: number): Promise<Job[]> {
    const token = `${this.#workerId}#${++this.#claims}`;
    const kinds = this.#kinds === null ? sql`true` : sql`q.kind in (${sql.join(this.#kinds)})`;
    const most = this.#hostConcurrency;
    // Each candidate's host: how many of its deliveries are leased, counted once for both checks.
    const leased = most === null ? sql`` : sql`cross join lateral (select count(*) as leased from fedify_queue h where h.host = q.host and h.locked_until >= now()) l`;
    const hostFree = most === null ? sql`true` : sql`(q.host is null or l.leased < ${most})`;
    const hostRoom = most === null ? sql`true` : sql`(c.host is null or c.rank + c.leased <= ${most})`;
    const { rows } = await sql<Omit<Job, "token">>`
      update fedify_queue
         set locked_until = ${after(this.#leaseSeconds * 1000)}, locked_by = ${token}, attempts = attempts + 1
       where id in (
         select c.id from (
           select e.*, row_number() over (partition by e.host order by e.run_at, e.id) as rank
             from (
               select q.id, q.host, q.run_at${most === null ? sql`` : sql`, l.leased`} from fedify_queue q ${leased}
                where q.run_at <= now()
                  and ${kinds}
                  and (q.locked_until is null or q.locked_until < now())
                  and ${hostFree}
                  and (q.ordering_key is null or not exists (
                         select from fedify_queue q2
                          where q2.ordering_key = q.ordering_key
                            and (coalesce(q2.ordering_position, q2.id), q2.id) < (coalesce(q.ordering_position, q.id), q.id)))
                order by q.run_at, q.id
                limit ${limit * 4}
                ${this.#database.kind === "pglite" ? sql`` : sql`for update of q skip locked`}) e) c
          where ${hostRoom}
          order by c.run_at, c.id
          limit ${limit})
      returning id, message, attempts, ordering_key, coalesce(ordering_position, id) as position`.execute(db);
    return rows.map((row) => ({ ...row, token }));
  }

  /** Runs one job's handler and records the outcome. */
  async #handle(job: Job, handler: Handler, signal: AbortSignal | undefined): Promise<void> {
    const heartbeat = setInterval(() => {
      void this.#renew(job).then((held) => held || clearInterval(heartbeat));
    }, (this.#leaseSeconds * 1000) / 3);
    const context: Running = { queue: this, job, enqueued: { rows: [], parts: new Map() }, collecting: true };
    // Settles with the error, if any, and never rejects, even for a handler that throws at once.
    const outcome = running
      .run(context, () => Promise.resolve().then(() => handler(job.message)))
      .then(() => null, (error: unknown) => ({ error }))
      .finally(() => (context.collecting = false));
    const settled = await settleWithin(outcome, signal, this.#shutdownGraceMs);
    context.collecting = false;
    try {
      await this.#record(job, async () => {
        if (settled === ABANDONED) {
          await this.#release(job);
          logger.warn("Job {id} was still running at shutdown; released it for another worker", { id: job.id });
        } else if (settled === null) {
          await this.#complete(job, context.enqueued);
        } else {
          await this.#fail(job, settled.error);
        }
      });
    } catch (error) {
      // The job stays leased; once the lease runs out, a worker runs it again.
      logger.error("Could not record the outcome of job {id}: {error}", { id: job.id, error });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Retries `record` while the database is unreachable; the heartbeat keeps the lease meanwhile. */
  async #record(job: Job, record: () => Promise<void>): Promise<void> {
    for (const delayMs of [...RECORD_RETRY_MS, null]) {
      try {
        await record();
        return;
      } catch (error) {
        if (error instanceof LeaseLost || delayMs === null) throw error;
        logger.warn("Could not record the outcome of job {id}; retrying in {delayMs} ms: {error}", { id: job.id, delayMs, error });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /** Removes the job and writes what its handler enqueued, all or nothing. */
  async #complete(job: Job, enqueued: Batch): Promise<void> {
    if (enqueued.rows.length === 0) {
      if (!(await this.#removals.add(job))) throw new LeaseLost(job);
      return;
    }
    await inTransaction(this.#database.db, async () => {
      const result = await this.#database.db.deleteFrom("fedify_queue").where(held(job)).executeTakeFirst();
      // Another worker has the job now: it will enqueue the same, so this handler's must go.
      if (result.numDeletedRows === 0n) throw new LeaseLost(job);
      await this.#insert(enqueued);
    });
  }

  async #fail(job: Job, error: unknown): Promise<void> {
    if (job.attempts >= this.#maxAttempts) {
      logger.error("Job {id} failed {attempts} times; dropping it: {error}", { id: job.id, attempts: job.attempts, error, message: job.message });
      await this.#delete(job);
      return;
    }
    const delayMs = Math.min(this.#retryDelayMs * 2 ** (job.attempts - 1), MAX_RETRY_DELAY_MS);
    const { id, attempts } = job;
    const maxAttempts = this.#maxAttempts;
    logger.warn("Job {id} failed (attempt {attempts} of {maxAttempts}); retrying in {delayMs} ms: {error}", { id, attempts, maxAttempts, delayMs, error });
    await this.#database.db
      .updateTable("fedify_queue")
      .set({ run_at: after(delayMs), locked_until: null, locked_by: null })
      .where(held(job))
      .execute();
  }

  async #release(job: Job): Promise<void> {
    await this.#database.db.updateTable("fedify_queue").set({ locked_until: null, locked_by: null }).where(held(job)).execute();
  }

  /** Extends the lease; false once it is lost for good, and only then. */
  async #renew(job: Job): Promise<boolean> {
    try {
      const result = await this.#database.db
        .updateTable("fedify_queue")
        .set({ locked_until: after(this.#leaseSeconds * 1000) })
        .where(held(job))
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) return true;
      logger.warn("Lost the lease on job {id}; another worker may be running it too", { id: job.id });
      return false;
    } catch (error) {
      logger.warn("Could not renew the lease on job {id}: {error}", { id: job.id, error });
      return true;
    }
  }

  async #delete(job: Job): Promise<void> {
    await this.#database.db.deleteFrom("fedify_queue").where(held(job)).execute();
  }

  /** How long an idle loop sleeps: until the next delayed job is due, at most the poll interval. */
  async #idleMs(): Promise<number> {
    const { rows } = await sql<{ ms: number | null }>`
      select (extract(epoch from min(run_at) - now()) * 1000)::float8 as ms
        from fedify_queue where run_at > now()`.execute(this.#database.db);
    const due = rows[0]?.ms ?? null;
    return due === null ? this.#pollIntervalMs : Math.max(10, Math.min(this.#pollIntervalMs, Math.ceil(due)));
  }
}

class LeaseLost extends Error {
  override name = "LeaseLost";
  constructor(job: Job) {
    super(`Lost the lease on job ${job.id} before recording its outcome; another worker runs it`);
  }
}

/** Resolves when one of `tasks` settles, or after `ms` (never, when null). */
async function firstOf(tasks: Iterable<Promise<void>>, ms: number | null): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = ms === null ? [] : [new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))];
  await Promise.race([...tasks, ...timeout]);
  clearTimeout(timer);
}

// Only while this claim still holds the row: a worker whose lease ran out must never touch a row
// that another worker has claimed since.
function held(job: Job): RawBuilder<boolean> {
  return sql<boolean>`(id = ${job.id} and locked_by = ${job.token})`;
}

/** Fedify's message type: "fanout", "outbox" or "inbox". */
function kindOf(message: unknown): string {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : "";
}

/** The host a delivery goes to (with its port), the unit of the per-server limit. */
function hostOf(message: unknown): string | null {
  const inbox = (message as { type?: unknown; inbox?: unknown } | null)?.inbox;
  if (kindOf(message) !== "outbox" || typeof inbox !== "string" || !URL.canParse(inbox)) return null;
  return new URL(inbox).host;
}

// Computed by the database, so that every process measures time on the same clock.
function after(ms: number): RawBuilder<Date> {
  if (!(ms >= 0)) throw new RangeError(`A queue delay must not be negative: ${ms} ms`);
  return sql<Date>`now() + ${ms}::double precision * interval '1 millisecond'`;
}

