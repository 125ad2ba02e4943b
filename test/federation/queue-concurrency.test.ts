// The queue's concurrency rules: each kind of work (incoming activities, deliveries) has its own
// workers, and one inbox host never has more than `hostConcurrency` deliveries running at once,
// so a slow server delays neither the other servers nor incoming activities.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import type { Database } from "../../src/data/client.ts";
import { GloseMessageQueue, type GloseMessageQueueOptions } from "../../src/federation/message-queue.ts";
import { backends, createTestDatabase } from "../helpers/database.ts";

type Handler = (message: any) => Promise<void> | void;

async function withDatabase(backend: "pglite" | "postgres", test: (database: Database, listen: (queue: GloseMessageQueue, handler: Handler) => void) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(backend);
  const stops: (() => Promise<void>)[] = [];
  const listen = (queue: GloseMessageQueue, handler: Handler) => {
    const controller = new AbortController();
    const done = queue.listen(handler, { signal: controller.signal });
    stops.push(async () => {
      controller.abort();
      await done;
    });
  };
  try {
    await test(database, listen);
  } finally {
    for (const stop of stops) await stop();
    await database.drop();
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

const delivery = (host: string, n: number) => ({ type: "outbox", inbox: `https://${host}/inbox`, n });
const queueOptions = (options: GloseMessageQueueOptions): GloseMessageQueueOptions => ({ pollIntervalMs: 200, ...options });

for (const backend of backends()) {
  describe(`queue concurrency (${backend})`, { timeout: 60_000 }, () => {
    it("never runs more than hostConcurrency deliveries to one host, and a slow host does not delay a fast one", () =>
      withDatabase(backend, async (database, listen) => {
        const running = new Map<string, number>();
        const most = new Map<string, number>();
        const finished = new Map<string, number[]>();
        let started: number | null = null;
        const queue = new GloseMessageQueue(database, queueOptions({ concurrency: 8, hostConcurrency: 2, kinds: ["outbox"] }));
        listen(queue, async (message: { inbox: string }) => {
          const host = new URL(message.inbox).host;
          started ??= Date.now();
          running.set(host, (running.get(host) ?? 0) + 1);
          most.set(host, Math.max(most.get(host) ?? 0, running.get(host)!));
          await sleep(host === "slow.test" ? 150 : 10);
          running.set(host, running.get(host)! - 1);
          finished.set(host, [...(finished.get(host) ?? []), Date.now() - started!]);
        });
        // The slow server's jobs come first in the queue, more of them than one claim looks at.
        await queue.enqueueMany([...Array.from({ length: 60 }, (_, n) => delivery("slow.test", n)), ...Array.from({ length: 4 }, (_, n) => delivery("fast.test", n))]);
        await until("every delivery is done", () => (finished.get("slow.test")?.length ?? 0) + (finished.get("fast.test")?.length ?? 0) === 64);
        assert.equal(most.get("slow.test"), 2, "the slow host had at most 2 deliveries at once, and used both places");
        const fastDone = Math.max(...finished.get("fast.test")!);
        const slowDone = Math.max(...finished.get("slow.test")!);
        console.log(`# fast host done at ${fastDone} ms, slow host at ${slowDone} ms`);
        // 60 slow deliveries, 2 at a time, take 30 × 150 ms; the fast host's take two rounds.
        assert.ok(slowDone >= 4500, `the slow host's deliveries were done at ${slowDone} ms`);
        assert.ok(fastDone < slowDone / 3, `the fast host's deliveries were done at ${fastDone} ms`);
      }));

    it("counts a host's running deliveries with those a claim takes for it", () =>
      withDatabase(backend, async (database, listen) => {
        const running = new Map<string, number>();
        const most = new Map<string, number>();
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        const queue = new GloseMessageQueue(database, queueOptions({ concurrency: 8, hostConcurrency: 2, kinds: ["outbox"] }));
        listen(queue, async (message: { inbox: string }) => {
          const host = new URL(message.inbox).host;
          running.set(host, (running.get(host) ?? 0) + 1);
          most.set(host, Math.max(most.get(host) ?? 0, running.get(host)!));
          await released;
          running.set(host, running.get(host)! - 1);
        });
        try {
          await queue.enqueue(delivery("busy.test", 0));
          await until("the first delivery runs", () => running.get("busy.test") === 1);
          // One place left for busy.test, three of its deliveries waiting: one claim looks at all
          // of them, and at the other host's after them.
          await queue.enqueueMany([...Array.from({ length: 3 }, (_, n) => delivery("busy.test", n + 1)), delivery("other.test", 0)]);
          await until("the other host's delivery runs", () => running.get("other.test") === 1);
          assert.equal(most.get("busy.test"), 2);
        } finally {
          release();
        }
      }));

    it("processes an incoming activity while a backlog of deliveries waits for its own workers", () =>
      withDatabase(backend, async (database, listen) => {
        const outbox = new GloseMessageQueue(database, queueOptions({ concurrency: 2, kinds: ["outbox", "fanout"] }));
        const inbox = new GloseMessageQueue(database, queueOptions({ concurrency: 1, kinds: ["inbox"] }));
        let delivered = 0;
        let processedAt: number | null = null;
        const handler = async (message: { type: string }) => {
          if (message.type === "inbox") {
            processedAt = Date.now();
            return;
          }
          await sleep(300);
          delivered++;
        };
        listen(outbox, handler);
        listen(inbox, handler);
        await outbox.enqueueMany(Array.from({ length: 40 }, (_, n) => delivery(`server${n}.test`, n)));
        const enqueuedAt = Date.now();
        await inbox.enqueue({ type: "inbox", activity: {} });
        await until("the incoming activity is processed", () => processedAt !== null, 10_000);
        const waited = processedAt! - enqueuedAt;
        assert.ok(waited < 1000, `the incoming activity waited ${waited} ms`);
        assert.ok(delivered < 20, `${delivered} deliveries were done before it`);
      }));
  });
}
