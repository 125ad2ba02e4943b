// Reads and writes whole tables as JSON rows, driven by the database's own catalog, so that a
// backup covers every table of the schema, including tables added after this file was written.
// Rows go through PostgreSQL's to_jsonb / jsonb_populate_recordset: bytea, jsonb, arrays and
// timestamps come back exactly as they were.
import { sql } from "kysely";
import type { Db } from "./client.ts";

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly primaryKey: readonly string[];
}

/** Every table of the public schema but `excluded`, parents before the tables that reference them. */
export async function listTables(db: Db, excluded: ReadonlySet<string>): Promise<TableInfo[]> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  const { rows: keys } = await sql<{ table_name: string; column_name: string }>`
    select cl.relname as table_name, a.attname as column_name
    from pg_index i
    join pg_class cl on cl.oid = i.indrelid
    join pg_namespace n on n.oid = cl.relnamespace and n.nspname = 'public'
    join lateral unnest(i.indkey) with ordinality as k(attnum, position) on true
    join pg_attribute a on a.attrelid = cl.oid and a.attnum = k.attnum
    where i.indisprimary
    order by cl.relname, k.position`.execute(db);
  const { rows: references } = await sql<{ child: string; parent: string }>`
    select distinct child.relname as child, parent.relname as parent
    from pg_constraint con
    join pg_class child on child.oid = con.conrelid
    join pg_class parent on parent.oid = con.confrelid
    join pg_namespace n on n.oid = child.relnamespace and n.nspname = 'public'
    where con.contype = 'f' and child.oid <> parent.oid`.execute(db);

  const tables = new Map<string, { columns: string[]; primaryKey: string[] }>();
  for (const { table_name, column_name } of columns) {
    if (excluded.has(table_name)) continue;
    if (!tables.has(table_name)) tables.set(table_name, { columns: [], primaryKey: [] });
    tables.get(table_name)!.columns.push(column_name);
  }
  for (const { table_name, column_name } of keys) tables.get(table_name)?.primaryKey.push(column_name);

  // Depth-first topological order; alphabetical among equals, so the order never varies.
  const ordered: TableInfo[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.some((table) => table.name === name) || visiting.has(name)) return;
    visiting.add(name);
    for (const { parent } of references.filter((ref) => ref.child === name).sort((a, b) => a.parent.localeCompare(b.parent))) {
      if (tables.has(parent)) visit(parent);
    }
    const table = tables.get(name)!;
    ordered.push({ name, columns: table.columns, primaryKey: table.primaryKey });
  };
  for (const name of [...tables.keys()].sort()) visit(name);
  return ordered;
}

/** The table's rows as JSON text, in primary key order, `batch` rows at a time through a cursor. */
export async function* readRows(db: Db, table: TableInfo, batch = 500): AsyncGenerator<string> {
  const order =
    table.primaryKey.length > 0 ? sql.join(table.primaryKey.map((column) => sql.ref(column))) : sql`to_jsonb(t)::text`;
  const cursor = sql.id(`glose_rows_${table.name}`);
  await sql`declare ${cursor} no scroll cursor for
    select to_jsonb(t)::text as row from ${sql.table(table.name)} t order by ${order}`.execute(db);
  for (;;) {
    const { rows } = await sql<{ row: string }>`fetch ${sql.raw(String(batch))} from ${cursor}`.execute(db);
    for (const { row } of rows) yield row;
    if (rows.length < batch) break;
  }
  await sql`close ${cursor}`.execute(db);
}

/** Inserts rows (JSON objects as text) into the given columns; columns not named keep their defaults. */
export async function insertRows(db: Db, table: string, columns: readonly string[], rows: readonly string[]): Promise<void> {
  if (rows.length === 0) return;
  const names = sql.join(columns.map((column) => sql.ref(column)));
  await sql`insert into ${sql.table(table)} (${names}) overriding system value
    select ${names} from jsonb_populate_recordset(null::${sql.table(table)}, ${`[${rows.join(",")}]`}::text::jsonb)`.execute(db);
}

export async function deleteAllRows(db: Db, table: string): Promise<void> {
  await sql`delete from ${sql.table(table)}`.execute(db);
}

export async function countRows(db: Db, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Moves each serial column's sequence past the largest value restored. */
export async function resetSequences(db: Db, table: string): Promise<void> {
  const { rows } = await sql<{ column_name: string; sequence: string }>`
    select column_name, pg_get_serial_sequence(${table}, column_name) as sequence
    from information_schema.columns
    where table_schema = 'public' and table_name = ${table} and column_default like 'nextval(%'`.execute(db);
  for (const { column_name, sequence } of rows) {
    if (sequence === null) continue;
    await sql`select setval(${sequence}::regclass, coalesce((select max(${sql.ref(column_name)}) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
  }
}

/** Migrations applied to this database, in order. */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from glose_migrations order by name`.execute(db);
  return rows.map((row) => row.name);
}
