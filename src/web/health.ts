// Liveness (/healthz: the process answers), readiness (/readyz: the database and the queue
// answer too) and, with METRICS_TOKEN set, Prometheus metrics (/metrics).
import { Hono } from "hono";
import { sql } from "kysely";
import type { MessageQueueDepth } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Db } from "../data/client.ts";
import { hasToken, type Metrics } from "./metrics.ts";

export interface HealthDeps {
  readonly config: Config;
  readonly db: Db;
  readonly queue: { getDepth(): Promise<MessageQueueDepth> };
  readonly metrics: Metrics;
}

export function healthRoutes(deps: HealthDeps): Hono {
  const routes = new Hono();
  routes.get("/healthz", (c) => c.json({ status: "ok" }));
  routes.get("/readyz", async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      const queue = await deps.queue.getDepth();
      return c.json({ status: "ready", queue });
    } catch (error) {
      return c.json({ status: "unavailable", error: error instanceof Error ? error.message : String(error) }, 503);
    }
  });
  routes.get("/metrics", async (c) => {
    const token = deps.config.metricsToken;
    if (token === null) return c.notFound();
    if (!hasToken(c.req.header("authorization"), token)) {
      return c.text("A bearer token (METRICS_TOKEN) is needed.", 401, { "WWW-Authenticate": 'Bearer realm="metrics"' });
    }
    const depth = await deps.queue.getDepth().catch(() => null);
    return c.text(deps.metrics.render(depth), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return routes;
}
