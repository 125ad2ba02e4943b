// The owner's account, keys and sessions, followers, and Fedify's key–value store and message queue.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("account")
    .addColumn("id", "integer", (c) => c.primaryKey().defaultTo(1).check(sql`id = 1`))
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("avatar_url", "text")
    .addColumn("header_url", "text")
    .addColumn("fields", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("locked", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("default_visibility", "text", (c) => c.notNull().defaultTo("public"))
    .addColumn("language", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("api_secret", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("key_pairs")
    .addColumn("algorithm", "text", (c) => c.primaryKey())
    .addColumn("private_key", "jsonb", (c) => c.notNull())
    .addColumn("public_key", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .execute();

  await db.schema
    .createTable("login_failures")
    .addColumn("address", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failure_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("followers")
    .addColumn("actor_id", "text", (c) => c.primaryKey())
    .addColumn("follow_id", "text", (c) => c.notNull())
    .addColumn("inbox_url", "text", (c) => c.notNull())
    .addColumn("shared_inbox_url", "text")
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("name", "text")
    .addColumn("url", "text")
    .addColumn("icon_url", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("accepted").check(sql`status in ('accepted', 'pending')`))
    // Millisecond precision, so that a JavaScript Date taken from a row is an exact page cursor.
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`date_trunc('milliseconds', now())`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("followers_status_created").on("followers").columns(["status", "created_at"]).execute();

  await db.schema
    .createTable("fedify_kv")
    .addColumn("key", sql`text[]`, (c) => c.primaryKey())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz")
    .execute();
  await db.schema.createIndex("fedify_kv_expires").on("fedify_kv").column("expires_at").where("expires_at", "is not", null).execute();

  await db.schema
    .createTable("fedify_queue")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("message", "jsonb", (c) => c.notNull())
    .addColumn("ordering_key", "text")
    .addColumn("run_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("locked_until", "timestamptz")
    .addColumn("locked_by", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("fedify_queue_run_at").on("fedify_queue").columns(["run_at", "id"]).execute();
  await db.schema.createIndex("fedify_queue_ordering").on("fedify_queue").columns(["ordering_key", "id"]).where("ordering_key", "is not", null).execute();
}
