// Keeps the deliveries table up to date from the queue: a post's activity queued for an inbox is
// pending; once Fedify's handler for it has run, it was sent, or failed and is retried (Fedify
// queued the next attempt), or failed for good (no next attempt), or the inbox is gone (404/410).
// Fedify reports a failure through onOutboxError and a permanent one through its permanent failure
// handler, both inside the handler's async context: that is how they are told apart per delivery.
import { AsyncLocalStorage } from "node:async_hooks";
import { SendActivityError, type MessageQueue } from "@fedify/fedify";
import { getLogger } from "@logtape/logtape";
import type { Db } from "../data/client.ts";
import { Batches } from "../data/batches.ts";
import { recordOutcomes, recordQueued, type DeliveryKey, type DeliveryOutcome } from "../data/deliveries.ts";

const logger = getLogger(["glose", "delivery"]);

type Queued = DeliveryKey & { readonly attempts: number };

/** The handler running in this async context: what it sends and what it has learnt. */
interface Handling {
  /** The post delivery this handler makes, if it is one; `attempts` made before this one. */
  readonly delivery: Queued | null;
  /** Deliveries it queued (a fan-out's), written together once it has run: a worker may have made some already. */
  readonly queued: Queued[];
  /** Fedify queued this same delivery again: a retry, or a hold by the circuit breaker. */
  requeued: boolean;
  error?: unknown;
  abandoned?: "http" | "circuit-breaker-ttl";
}

const handling = new AsyncLocalStorage<Handling>();

/** For Fedify's onOutboxError: the running delivery failed. */
export function deliveryFailed(error: unknown): void {
  const current = handling.getStore();
  if (current !== undefined) current.error = error;
}

/** For Fedify's permanent failure handler: the running delivery will not be tried again. */
export function deliveryAbandoned(reason: "http" | "circuit-breaker-ttl"): void {
  const current = handling.getStore();
  if (current !== undefined) current.abandoned = reason;
}

/** Wraps `queue` so that deliveries of posts' activities are recorded. */
export function trackDeliveries(queue: MessageQueue, db: Db, postOf: (activityId: URL) => string | null): MessageQueue {
  const keyOf = (message: any): Queued | null => {
    if (message?.type !== "outbox" || typeof message.activityId !== "string" || typeof message.inbox !== "string") return null;
    if (!URL.canParse(message.activityId) || !URL.canParse(message.inbox)) return null;
    const postId = postOf(new URL(message.activityId));
    return postId === null ? null : { activityId: message.activityId, inbox: message.inbox, postId, attempts: Number(message.attempt) || 0 };
  };

  // Concurrent deliveries' outcomes are written together, each awaited before its job is removed.
  const outcomes = new Batches<DeliveryOutcome, void>(async (batch) => {
    await recordOutcomes(db, batch);
    return batch.map(() => undefined);
  });

  const noteQueued = async (messages: readonly unknown[]) => {
    const keys = messages.flatMap((message) => keyOf(message) ?? []);
    if (keys.length === 0) return;
    const current = handling.getStore();
    if (current === undefined) return await recordQueued(db, keys);
    for (const key of keys) {
      if (current.delivery !== null && sameDelivery(key, current.delivery)) current.requeued = true;
      else current.queued.push(key);
    }
  };

  const run = async (message: unknown, handler: (message: any) => Promise<void> | void) => {
    const current: Handling = { delivery: keyOf(message), queued: [], requeued: false };
    // A handler that throws is run again by the queue, which drops what it enqueued: so do we.
    await handling.run(current, () => handler(message));
    try {
      await recordQueued(db, current.queued, true);
      if (current.delivery !== null) await outcomes.add(outcome(current, current.delivery));
    } catch (error) {
      // The deliveries themselves go on: only their status page is behind.
      logger.error("Could not record a delivery's status: {error}", { error });
    }
  };

  return {
    nativeRetrial: queue.nativeRetrial,
    // Recorded first: once queued and committed, a worker may finish the delivery at once.
    enqueue: async (message, options) => {
      await noteQueued([message]);
      await queue.enqueue(message, options);
    },
    ...(queue.enqueueMany === undefined
      ? {}
      : {
          enqueueMany: async (messages, options) => {
            await noteQueued(messages);
            await queue.enqueueMany!(messages, options);
          },
        }),
    ...(queue.getDepth === undefined ? {} : { getDepth: () => queue.getDepth!() }),
    listen: (handler, options) => queue.listen((message) => run(message, handler), options),
  };
}

function sameDelivery(a: DeliveryKey, b: DeliveryKey): boolean {
  return a.activityId === b.activityId && a.inbox === b.inbox;
}

function outcome(current: Handling, delivery: Queued) {
  const { error } = current;
  const failure = {
    error: error === undefined ? null : describe(error),
    statusCode: error instanceof SendActivityError ? error.statusCode : null,
  };
  const tried = delivery.attempts + 1;
  if (current.abandoned === "http") return { ...delivery, status: "gone" as const, attempts: tried, ...failure };
  if (current.abandoned === "circuit-breaker-ttl") {
    return { ...delivery, status: "failed" as const, attempts: delivery.attempts, error: "Held too long: the server was unreachable for days.", statusCode: null };
  }
  if (current.requeued && error === undefined) {
    // Not sent: the circuit breaker holds deliveries to this server for now.
    return { ...delivery, status: "pending" as const, attempts: delivery.attempts, error: "Held while the server is unreachable.", statusCode: null };
  }
  if (error === undefined) return { ...delivery, status: "sent" as const, attempts: tried, error: null, statusCode: null };
  return { ...delivery, status: current.requeued ? ("pending" as const) : ("failed" as const), attempts: tried, ...failure };
}

function describe(error: unknown): string {
  const text = error instanceof SendActivityError ? `HTTP ${error.statusCode} ${error.responseBody}`.trim() : error instanceof Error ? error.message : String(error);
  return text.slice(0, 500);
}
