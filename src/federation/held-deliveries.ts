// Deliveries held back for a while: a deleted post's Delete waits out the owner's undo window in
// the queue, and Undo takes it out before any server hears of it. Once sent, a Delete cannot be
// taken back: Mastodon keeps a tombstone of the Note and refuses it afterwards.
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "kysely";
import type { Db } from "../data/client.ts";
import { inTransaction } from "../data/transaction.ts";

export interface Hold {
  /** Marks the held jobs, to find them again. */
  readonly key: string;
  readonly delayMs: number;
}

/** The field of a queued message that carries its hold's key. */
export const HOLD_FIELD = "gloseHold";

const holds = new AsyncLocalStorage<Hold>();

/** Runs `work`; what it enqueues waits `hold.delayMs` and carries `hold.key`. */
export function holdDeliveries<T>(hold: Hold, work: () => Promise<T>): Promise<T> {
  return holds.run(hold, work);
}

export function currentHold(): Hold | undefined {
  return holds.getStore();
}

/**
 * Removes the jobs held under `key`, unless one is already due or running: then nothing is
 * removed and the answer is false. Locks the rows, so that no worker claims them meanwhile.
 */
export async function cancelHeld(db: Db, key: string): Promise<boolean> {
  return await inTransaction(db, async () => {
    const { rows } = await sql<{ id: number; started: boolean }>`
      select id, (run_at <= now() or locked_by is not null) as started
        from fedify_queue
       where message->>${HOLD_FIELD} = ${key}
         for update`.execute(db);
    if (rows.some((row) => row.started)) return false;
    if (rows.length > 0) await db.deleteFrom("fedify_queue").where("id", "in", rows.map((row) => row.id)).execute();
    return true;
  });
}
