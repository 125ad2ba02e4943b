// PGlite runs no autovacuum. Without it, the space of deleted and updated rows is never reused
// (the queue alone grew by 9 MB per 1,000 deliveries, for good) and the planner's statistics
// never change. The embedded database's worker calls this every minute: each table that
// PostgreSQL's autovacuum would vacuum or analyze, by its default thresholds, is.
import { sql } from "kysely";
import type { Db } from "./client.ts";

export interface VacuumReport {
  readonly vacuumed: string[];
  readonly analyzed: string[];
}

export async function vacuumWhereDue(db: Db): Promise<VacuumReport> {
  // The counters below are written out at the end of a statement only once a second at most.
  await sql`select pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<{ name: string; vacuum: boolean; analyze: boolean }>`
    select name, vacuum, "analyze" from (
      select s.relname as name,
             (s.n_dead_tup > 50 + 0.2 * t.tuples or s.n_ins_since_vacuum > 1000 + 0.2 * t.tuples) as vacuum,
             s.n_mod_since_analyze > 50 + 0.1 * t.tuples as analyze
        from pg_stat_user_tables s
        join pg_class c on c.oid = s.relid
        cross join lateral (select greatest(c.reltuples, 0) as tuples) t
       where s.schemaname = current_schema()) due
     where vacuum or "analyze"
     order by name`.execute(db);
  const report: VacuumReport = { vacuumed: [], analyzed: [] };
  for (const row of rows) {
    const table = sql.table(row.name);
    if (row.vacuum) {
      await sql`vacuum (analyze) ${table}`.execute(db);
      report.vacuumed.push(row.name);
    } else {
      await sql`analyze ${table}`.execute(db);
      report.analyzed.push(row.name);
    }
  }
  return report;
}
