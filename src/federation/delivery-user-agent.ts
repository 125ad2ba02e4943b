// Fedify sends its deliveries with fetch's default User-Agent ("node"): its `userAgent` option
// reaches its fetches only. Each queued delivery carries the headers it is sent with, so Glose's
// User-Agent is added there, retries included.
import type { MessageQueue } from "@fedify/fedify";

export function withDeliveryUserAgent(queue: MessageQueue, userAgent: string): MessageQueue {
  const stamp = (message: any): any =>
    message?.type === "outbox" ? { ...message, headers: { "User-Agent": userAgent, ...message.headers } } : message;
  return {
    nativeRetrial: queue.nativeRetrial,
    enqueue: (message, options) => queue.enqueue(stamp(message), options),
    ...(queue.enqueueMany === undefined ? {} : { enqueueMany: (messages, options) => queue.enqueueMany!(messages.map(stamp), options) }),
    ...(queue.getDepth === undefined ? {} : { getDepth: () => queue.getDepth!() }),
    listen: (handler, options) => queue.listen(handler, options),
  };
}
