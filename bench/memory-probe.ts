// Preloaded into a benchmarked process (`node --import ./bench/memory-probe.ts`): answers each
// message on its IPC channel with where its memory is. WebAssembly memories (PGlite's
// PostgreSQL) are noted as they are made; their resident part is read from /proc/self/smaps,
// as the mapping whose size is the memory's.
import { readFileSync } from "node:fs";

export interface MemoryBreakdown {
  readonly rss: number;
  /** Resident anonymous memory (heaps, malloc, WebAssembly), and resident file pages (code). */
  readonly rssAnon: number;
  readonly rssFile: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Size of the WebAssembly memories alive, and how much of them is resident. */
  readonly wasm: number;
  readonly wasmResident: number;
}

const memories = new Set<WeakRef<WebAssembly.Memory>>();
WebAssembly.Memory = new Proxy(WebAssembly.Memory, {
  construct(target, args: [WebAssembly.MemoryDescriptor]) {
    const memory = Reflect.construct(target, args) as WebAssembly.Memory;
    memories.add(new WeakRef(memory));
    return memory;
  },
});

export function breakdown(): MemoryBreakdown {
  const status = readFileSync("/proc/self/status", "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  const sizes: number[] = [];
  for (const ref of memories) {
    const memory = ref.deref();
    if (memory === undefined) memories.delete(ref);
    else sizes.push(memory.buffer.byteLength);
  }
  const resident = new Map<number, number>();
  let size = 0;
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range !== null) size = parseInt(range[2]!, 16) - parseInt(range[1]!, 16);
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null && sizes.includes(size)) resident.set(size, (resident.get(size) ?? 0) + Number(rss[1]) * 1024);
  }
  const usage = process.memoryUsage();
  return {
    rss: usage.rss,
    rssAnon: kb("RssAnon"),
    rssFile: kb("RssFile"),
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    wasm: sizes.reduce((sum, bytes) => sum + bytes, 0),
    wasmResident: [...new Set(sizes)].reduce((sum, bytes) => sum + (resident.get(bytes) ?? 0), 0),
  };
}

if (process.send !== undefined) {
  // "gc" (with --expose-gc): a full collection, to tell what is kept from what is not yet collected.
  process.on("message", (message) => {
    if (message === "gc") globalThis.gc?.();
    else process.send!(breakdown());
  });
  // The channel must not keep the process alive.
  process.channel?.unref();
}
