// How the queue's worker loops wait: for work (Wakeup), and for a handler at shutdown (settleWithin).

/** Wakes idle loops: on NOTIFY, or when a finished job lets another of its ordering key run. */
export class Wakeup {
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

export const ABANDONED = Symbol("abandoned");

/** The outcome, or ABANDONED if `signal` aborts and the outcome takes longer than `graceMs` after. */
export function settleWithin<T>(outcome: Promise<T>, signal: AbortSignal | undefined, graceMs: number): Promise<T | typeof ABANDONED> {
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
