// The worker's periodic cleanup: expired cache entries, stale sessions, superseded delivery
// records and unused queue parts every ten minutes; and on the embedded database, which has no
// autovacuum, a vacuum of the tables that need one every minute.
import { getLogger } from "@logtape/logtape";
import type { Database } from "../data/client.ts";
import { deleteSupersededDeliveries } from "../data/deliveries.ts";
import { deleteStaleSessions } from "../data/sessions.ts";
import { vacuumWhereDue } from "../data/vacuum.ts";
import type { GloseKvStore } from "../federation/kv-store.ts";
import { deleteUnusedParts } from "../federation/queue-parts.ts";

const logger = getLogger(["glose", "housekeeping"]);

const CLEANUP_MS = 10 * 60 * 1000;
const VACUUM_MS = 60 * 1000;

/** Starts the timers; the returned function stops them and waits for the work under way. */
export function startHousekeeping(database: Database, kv: GloseKvStore): () => Promise<void> {
  const running = new Set<Promise<void>>();
  const every = (ms: number, work: () => Promise<void>) => {
    const timer = setInterval(() => {
      const task = work().finally(() => running.delete(task));
      running.add(task);
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    every(CLEANUP_MS, async () => {
      const { db } = database;
      await Promise.all([kv.deleteExpired(), deleteUnusedParts(db), deleteStaleSessions(db), deleteSupersededDeliveries(db)]).catch((error: unknown) =>
        logger.warn("Cleanup failed: {error}", { error }),
      );
    }),
  ];
  if (database.kind === "pglite") {
    timers.push(
      every(VACUUM_MS, async () => {
        try {
          const report = await vacuumWhereDue(database.db);
          if (report.vacuumed.length + report.analyzed.length > 0) logger.debug("Vacuumed {vacuumed}; analyzed {analyzed}", { ...report });
        } catch (error) {
          logger.warn("Vacuum failed: {error}", { error });
        }
      }),
    );
  }
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.all(running);
  };
}
