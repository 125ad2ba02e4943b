// Tells the read cache of every process sharing the database that some data changed, at commit
// (NOTIFY waits for it, and is dropped with a rollback). The read-cache migration's triggers do
// this for the tables that existed then; tables made after it call this where they are written.
import { sql } from "kysely";
import type { Db } from "./client.ts";

/** The scopes of src/web/read-cache.ts: the kinds of data an answer is built from. */
export type ReadScope = "posts" | "profile" | "followers" | "interactions" | "links";

export async function readChanged(db: Db, scope: ReadScope): Promise<void> {
  await sql`select pg_notify('glose_read_changes', ${scope})`.execute(db);
}
