// What other servers send beyond replies and likes: custom emoji, attachments, emoji reactions,
// quotes, and the profile fields of remote accounts.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  // Emoji as [{ name: ":blobcat:", url }], fields as [{ name, value (sanitized HTML) }].
  await db.schema
    .alterTable("remote_actors")
    .addColumn("emojis", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("fields", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();

  // Attachments as [{ url, mediaType, name (the alt text) }].
  await db.schema
    .alterTable("replies")
    .addColumn("emojis", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("attachments", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();

  // An emoji reaction: the emoji itself (":blobcat:" or a Unicode emoji) and a custom one's image.
  await db.schema.alterTable("reactions").dropConstraint("reactions_kind_check").execute();
  await db.schema.alterTable("reactions").dropConstraint("reactions_once").execute();
  await db.schema
    .alterTable("reactions")
    .addColumn("emoji", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("emoji_url", "text")
    .execute();
  await db.schema
    .alterTable("reactions")
    .addCheckConstraint("reactions_kind_check", sql`kind in ('like', 'announce', 'emoji') and (kind = 'emoji') = (emoji <> '')`)
    .execute();
  // Pleroma lets one person react with several emoji; each counts once.
  await db.schema.alterTable("reactions").addUniqueConstraint("reactions_once", ["kind", "post_id", "actor_id", "emoji"]).execute();

  await db.schema.alterTable("notifications").dropConstraint("notifications_kind_check").execute();
  await db.schema
    .alterTable("notifications")
    .addCheckConstraint(
      "notifications_kind_check",
      sql`kind in (
        'follow', 'follow_request', 'reply', 'mention', 'like', 'announce', 'report', 'block', 'move', 'follower_gone',
        'reaction', 'quote', 'quote_request'
      )`,
    )
    .execute();

  // Who may quote the owner's public posts: anyone at once, the owner's approval, or nobody.
  await db.schema
    .alterTable("account")
    .addColumn("quote_policy", "text", (c) => c.notNull().defaultTo("automatic").check(sql`quote_policy in ('automatic', 'manual', 'nobody')`))
    .execute();

  await db.schema
    .createTable("quotes")
    // The quoting post's id.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("post_id", "text", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    // The quoted Note's id, as the quoting server named it.
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("content_html", "text", (c) => c.notNull())
    // The QuoteRequest behind it; null for quotes that ask nobody (Misskey's).
    .addColumn("request_id", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'accepted', 'rejected', 'revoked')`))
    // The id of its QuoteAuthorization, served at /quotes/{authorization_id} while accepted.
    .addColumn("authorization_id", "text", (c) => c.unique())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("decided_at", "timestamptz")
    .execute();
  await db.schema.createIndex("quotes_post").on("quotes").columns(["post_id", "created_at"]).execute();
}
