// Group writes: what concurrent callers hand in while one statement runs goes to the database
// together in the next, one round trip for all. No timer: a lone item is written once the event
// loop's turn is over, and a busy worker's items wait for at most the statement before theirs.
import { AsyncLocalStorage } from "node:async_hooks";

interface Entry<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export class Batches<T, R> {
  readonly #write: (items: readonly T[]) => Promise<readonly R[]>;
  readonly #max: number;
  // The async context the batches run in: the one they were made in, never a caller's (whose
  // ambient transaction, for one, must not take in other callers' items).
  readonly #context = AsyncLocalStorage.snapshot();
  #pending: Entry<T, R>[] = [];
  #running = false;

  /** `write` answers one result per item, in order; `max` items a statement at most. */
  constructor(write: (items: readonly T[]) => Promise<readonly R[]>, max = 500) {
    this.#write = write;
    this.#max = max;
  }

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      // After the I/O callbacks of this turn of the event loop: answers that arrived together go together.
      setImmediate(() => this.#context(() => void this.#drain()));
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#max);
      try {
        await this.#settle(batch);
      } catch {
        // One item the database refuses (a string it cannot store, say) must fail alone.
        for (const entry of batch) await this.#settle([entry]).catch(entry.reject);
      }
    }
    this.#running = false;
  }

  async #settle(batch: readonly Entry<T, R>[]): Promise<void> {
    const results = await this.#write(batch.map((entry) => entry.item));
    batch.forEach((entry, n) => entry.resolve(results[n]!));
  }
}
