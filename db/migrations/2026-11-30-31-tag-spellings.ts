// Every spelling a tag has ever had (IA, ia…), kept by the database as posts are written, so that
// finding a tag's spellings reads a few rows instead of every post's tags. A spelling no post
// carries any more stays: it only widens a filter that then matches nothing more.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable("tag_spellings").addColumn("tag", "text", (c) => c.primaryKey()).execute();
  await sql`insert into tag_spellings (tag) select distinct unnest(tags) from posts on conflict do nothing`.execute(db);
  await sql`create function glose_tag_spellings() returns trigger language plpgsql as $$
    begin
      insert into tag_spellings (tag) select distinct unnest(tags) from written on conflict do nothing;
      return null;
    end $$`.execute(db);
  // Statement-level, so that an import of thousands of posts adds its tags in one insert.
  for (const event of ["insert", "update"]) {
    await sql`create trigger ${sql.raw(`posts_tag_spellings_${event}`)} after ${sql.raw(event)} on posts
      referencing new table as written for each statement execute function glose_tag_spellings()`.execute(db);
  }
}
