// Deliveries this process has finished: sent, failed for good, or handed back to the queue for a
// retry. Counted around the outbox queue's handler; Fedify reports a failed attempt through
// onOutboxError, and a retry by enqueuing the same delivery again from within the handler.
import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue } from "@fedify/fedify";

export type DeliveryOutcome = "sent" | "failed" | "retried";

interface Attempt {
  failed: boolean;
  retried: boolean;
}

export class DeliveryCounts {
  readonly #counts: Record<DeliveryOutcome, number> = { sent: 0, failed: 0, retried: 0 };
  readonly #attempt = new AsyncLocalStorage<Attempt>();

  get counts(): Readonly<Record<DeliveryOutcome, number>> {
    return { ...this.#counts };
  }

  /** For Fedify's onOutboxError: the delivery being attempted failed. */
  readonly failed = (): void => {
    const attempt = this.#attempt.getStore();
    if (attempt !== undefined) attempt.failed = true;
  };

  /** The outbox queue, counting the outcome of each delivery its listener finishes. */
  counting(queue: MessageQueue): MessageQueue {
    const enqueue: MessageQueue["enqueue"] = (message, options) => {
      this.#noteRetry([message]);
      return queue.enqueue(message, options);
    };
    return {
      nativeRetrial: queue.nativeRetrial,
      enqueue,
      ...(queue.enqueueMany === undefined
        ? {}
        : {
            enqueueMany: (messages, options) => {
              this.#noteRetry(messages);
              return queue.enqueueMany!(messages, options);
            },
          }),
      ...(queue.getDepth === undefined ? {} : { getDepth: () => queue.getDepth!() }),
      listen: (handler, options) =>
        queue.listen(async (message) => {
          if (message?.type !== "outbox") return await handler(message);
          const attempt: Attempt = { failed: false, retried: false };
          await this.#attempt.run(attempt, () => handler(message));
          this.#counts[attempt.retried ? "retried" : attempt.failed ? "failed" : "sent"]++;
        }, options),
    };
  }

  #noteRetry(messages: readonly any[]): void {
    const attempt = this.#attempt.getStore();
    if (attempt !== undefined && messages.some((message) => message?.type === "outbox")) attempt.retried = true;
  }
}
