// Moving in and out: Shaarli's short URL hashes of imported links (old `?hash` links redirect),
// import jobs the worker runs in the background, and the account's aliases and successor.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("shaarli_hashes")
    .addColumn("hash", "text", (c) => c.primaryKey())
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .execute();
  await db.schema.createIndex("shaarli_hashes_post_id").on("shaarli_hashes").column("post_id").execute();

  await db.schema
    .createTable("import_jobs")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("queued").check(sql`status in ('queued', 'running', 'done', 'failed')`),
    )
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('file', 'shaarli-api')`))
    .addColumn("options", "jsonb", (c) => c.notNull())
    .addColumn("file", "bytea")
    .addColumn("processed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("counts", "jsonb")
    .addColumn("error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable("account")
    .addColumn("also_known_as", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute();
  await db.schema.alterTable("account").addColumn("moved_to", "text").execute();
}
