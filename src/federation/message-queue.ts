// Fedify's message queue on Glose's own database (table fedify_queue), safe with several worker
// processes on one PostgreSQL. A worker claims a job by leasing its row; the row stays until the
// handler succeeds, so a worker that dies mid-job only delays it until the lease runs out.
// Delivery is at least once: a job is lost neither to a crash nor to a throwing handler.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { MessageQueue, MessageQueueDepth, MessageQueueEnqueueOptions, MessageQueueListenOptions } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import { sql, type RawBuilder } from "kysely";
import type { Database } from "../data/client.ts";
import { jsonb } from "../data/json.ts";

const logger = getLogger(["glose", "queue"]);

const CHANNEL = "glose_queue";
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

export interface GloseMessageQueueOptions {
  /** How long a claimed job is a worker's alone; renewed every third of it while the handler runs. */
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
}

interface Job {
  readonly id: number;
  readonly message: unknown;
  readonly attempts: number;
  /** What locked_by holds while this claim lasts: the worker's id and a claim number. */
  readonly token: string;
}

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
  #claims = 0;

  constructor(database: Database, options: GloseMessageQueueOptions = {}) {
    this.#database = database;
    this.#leaseSeconds = options.leaseSeconds ?? 300;
    this.#pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.#concurrency = options.concurrency ?? 1;
    this.#workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#retryDelayMs = options.retryDelayMs ?? 5000;
    this.#shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
  }

  async enqueue(message: any, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(messages: readonly any[], options?: MessageQueueEnqueueOptions): Promise<void> {
    if (messages.length === 0) return;
    const runAt = options?.delay === undefined ? sql<Date>`now()` : after(options.delay.total({ unit: "millisecond" }));
    const rows = messages.map((message) => ({ message: jsonb(message), ordering_key: options?.orderingKey ?? null, run_at: runAt }));
    await this.#database.db.insertInto("fedify_queue").values(rows).execute();
    try {
      await sql`select pg_notify(${CHANNEL}, '')`.execute(this.#database.db);
    } catch (error) {
      // The jobs are stored; idle workers find them at their next poll.
      logger.warn("Could not notify workers of new jobs: {error}", { error });
    }
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
      unlisten = await this.#database.listen(CHANNEL, () => wakeup.notify());
    } catch (error) {
      logger.warn("Cannot listen for new jobs; polling every {ms} ms: {error}", { ms: this.#pollIntervalMs, error });
    }
    await Promise.all(Array.from({ length: this.#concurrency }, () => this.#loop(handler, signal, wakeup)));
    await unlisten?.().catch((error: unknown) => logger.debug("Could not stop listening for new jobs: {error}", { error }));
  }

  async #loop(handler: Handler, signal: AbortSignal | undefined, wakeup: Wakeup): Promise<void> {
    while (!signal?.aborted) {
      // Taken before claiming, so that a NOTIFY arriving during the claim cuts the sleep short.
      const generation = wakeup.generation;
      try {
        const job = await this.#claim();
        if (job !== undefined) {
          const ordered = await this.#handle(job, handler, signal);
          // The next job of that ordering key may now run; let idle loops look.
          if (ordered) wakeup.notify();
          continue;
        }
        await wakeup.wait(generation, await this.#idleMs(), signal);
      } catch (error) {
        logger.error("The queue worker failed; retrying in {ms} ms: {error}", { ms: this.#pollIntervalMs, error });
        await wakeup.wait(generation, this.#pollIntervalMs, signal);
      }
    }
  }

  // One statement: SKIP LOCKED keeps two workers off the same row, and only the oldest job of an
  // ordering key is eligible. That job stays in the table while leased, so the next one of its
  // key waits, and a key's jobs run one at a time and in order across processes.
  async #claim(): Promise<(Job & { ordered: boolean }) | undefined> {
    const token = `${this.#workerId}#${++this.#claims}`;
    const { rows } = await sql<{ id: number; message: unknown; attempts: number; ordered: boolean }>`
      update fedify_queue
         set locked_until = ${after(this.#leaseSeconds * 1000)}, locked_by = ${token}, attempts = attempts + 1
       where id = (
         select q.id from fedify_queue q
          where q.run_at <= now()
            and (q.locked_until is null or q.locked_until < now())
            and (q.ordering_key is null
                 or q.id = (select min(q2.id) from fedify_queue q2 where q2.ordering_key = q.ordering_key))
          order by q.run_at, q.id
          limit 1
          for update skip locked)
      returning id, message, attempts, ordering_key is not null as ordered`.execute(this.#database.db);
    const row = rows[0];
    return row === undefined ? undefined : { ...row, token };
  }

  /** Runs one job's handler and records the outcome; returns whether the job had an ordering key. */
  async #handle(job: Job & { ordered: boolean }, handler: Handler, signal: AbortSignal | undefined): Promise<boolean> {
    const heartbeat = setInterval(async () => {
      if (!(await this.#renew(job))) clearInterval(heartbeat);
    }, (this.#leaseSeconds * 1000) / 3);
    // Settles with the error, if any, and never rejects, even for a handler that throws at once.
    const outcome = Promise.resolve()
      .then(() => handler(job.message))
      .then(() => null, (error: unknown) => ({ error }));
    const settled = await settleWithin(outcome, signal, this.#shutdownGraceMs);
    clearInterval(heartbeat);
    try {
      if (settled === ABANDONED) {
        await this.#release(job);
        logger.warn("Job {id} was still running at shutdown; released it for another worker", { id: job.id });
      } else if (settled === null) {
        await this.#delete(job);
      } else {
        await this.#fail(job, settled.error);
      }
    } catch (error) {
      // The job stays leased; once the lease runs out, a worker runs it again.
      logger.error("Could not record the outcome of job {id}: {error}", { id: job.id, error });
    }
    return job.ordered;
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

// Only while this claim still holds the row: a worker whose lease ran out must never touch a row
// that another worker has claimed since.
function held(job: Job): RawBuilder<boolean> {
  return sql<boolean>`(id = ${job.id} and locked_by = ${job.token})`;
}

/** Wakes idle loops: on NOTIFY, or when a finished job lets another of its ordering key run. */
class Wakeup {
  #generation = 0;
  readonly #waiters = new Set<() => void>();

  get generation(): number {
    return this.#generation;
  }

  notify(): void {
    this.#generation++;
    for (const wake of this.#waiters) wake();
  }

  /** Sleeps `ms`, less if notified or aborted; not at all if notified since `generation`. */
  wait(generation: number, ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (generation !== this.#generation || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", wake);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal?.addEventListener("abort", wake);
      this.#waiters.add(wake);
    });
  }
}

const ABANDONED = Symbol("abandoned");

/** The outcome, or ABANDONED if `signal` aborts and the outcome takes longer than `graceMs` after. */
function settleWithin<T>(outcome: Promise<T>, signal: AbortSignal | undefined, graceMs: number): Promise<T | typeof ABANDONED> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => resolve(ABANDONED), graceMs);
    };
    void outcome.then((value) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort);
  });
}

// Computed by the database, so that every process measures time on the same clock.
function after(ms: number): RawBuilder<Date> {
  if (!(ms >= 0)) throw new RangeError(`A queue delay must not be negative: ${ms} ms`);
  return sql<Date>`now() + ${ms}::double precision * interval '1 millisecond'`;
}

