// Prometheus text-format metrics of this process: requests by kind and status class, their
// latencies, memory and CPU, and the queue's depth (shared by every process of the database).
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { MessageQueueDepth } from "@fedify/fedify";
import type { DeliveryCounts } from "../federation/delivery-counts.ts";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A few request kinds, from the path and the Accept header: few labels, cheap to scrape. */
export function requestKind(path: string, accept: string): string {
  if (path.startsWith("/static/") || path.startsWith("/media/")) return "static";
  if (path.startsWith("/api/")) return "api";
  if (path.startsWith("/admin")) return "admin";
  // Scrapes and probes are not page views.
  if (path === "/metrics" || path === "/healthz" || path === "/readyz") return "operations";
  if (path.startsWith("/.well-known/") || path.startsWith("/nodeinfo/")) return "discovery";
  if (path === "/inbox" || path.endsWith("/inbox")) return "inbox";
  if (/\.(atom|rss)$/.test(path)) return "feed";
  if (/application\/(activity|ld)\+json/.test(accept)) return "federation";
  return "page";
}

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  readonly #deliveries: DeliveryCounts | null;

  constructor(deliveries: DeliveryCounts | null = null) {
    this.#deliveries = deliveries;
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      const kind = requestKind(c.req.path, c.req.header("accept") ?? "");
      this.record(kind, c.res.status, (performance.now() - started) / 1000);
    };
  }

  record(kind: string, status: number, seconds: number): void {
    const key = `kind="${kind}",status="${Math.floor(status / 100)}xx"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let duration = this.#durations.get(kind);
    if (duration === undefined) this.#durations.set(kind, (duration = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) duration.buckets[i]!++;
    });
    duration.sum += seconds;
    duration.count++;
  }

  render(queue: MessageQueueDepth | null): string {
    const lines = [
      "# HELP glose_http_requests_total HTTP requests answered by this process.",
      "# TYPE glose_http_requests_total counter",
      ...[...this.#requests].map(([labels, count]) => `glose_http_requests_total{${labels}} ${count}`),
      "# HELP glose_http_request_duration_seconds Time to answer, by request kind.",
      "# TYPE glose_http_request_duration_seconds histogram",
    ];
    for (const [kind, { buckets, sum, count }] of this.#durations) {
      BUCKETS.forEach((bound, i) => lines.push(`glose_http_request_duration_seconds_bucket{kind="${kind}",le="${bound}"} ${buckets[i]}`));
      lines.push(
        `glose_http_request_duration_seconds_bucket{kind="${kind}",le="+Inf"} ${count}`,
        `glose_http_request_duration_seconds_sum{kind="${kind}"} ${sum}`,
        `glose_http_request_duration_seconds_count{kind="${kind}"} ${count}`,
      );
    }
    const cpu = process.cpuUsage();
    lines.push(
      "# HELP glose_process_resident_memory_bytes Resident memory of this process.",
      "# TYPE glose_process_resident_memory_bytes gauge",
      `glose_process_resident_memory_bytes ${process.memoryUsage.rss()}`,
      "# HELP glose_process_cpu_seconds_total CPU time of this process.",
      "# TYPE glose_process_cpu_seconds_total counter",
      `glose_process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    );
    if (this.#deliveries !== null) {
      const { sent, failed, retried } = this.#deliveries.counts;
      lines.push(
        "# HELP glose_deliveries_total Deliveries to other servers finished by this process: sent, failed for good, or retried later.",
        "# TYPE glose_deliveries_total counter",
        `glose_deliveries_total{outcome="sent"} ${sent}`,
        `glose_deliveries_total{outcome="failed"} ${failed}`,
        `glose_deliveries_total{outcome="retried"} ${retried}`,
      );
    }
    if (queue !== null) {
      lines.push(
        "# HELP glose_queue_jobs Jobs waiting in the queue (deliveries and incoming activities), for all processes.",
        "# TYPE glose_queue_jobs gauge",
        `glose_queue_jobs{state="ready"} ${queue.ready ?? 0}`,
        `glose_queue_jobs{state="delayed"} ${queue.delayed ?? 0}`,
      );
    }
    return `${lines.join("\n")}\n`;
  }
}

/** Whether `authorization` carries the bearer token. */
export function hasToken(authorization: string | undefined, token: string): boolean {
  const sent = Buffer.from(authorization?.replace(/^Bearer\s+/i, "") ?? "");
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
