// Full-text search: a weighted tsvector per post, in the post's language, accents folded, kept
// up to date by a trigger and indexed with GIN.
import { sql, type Kysely } from "kysely";

/** Languages PostgreSQL stems; anything else is indexed word for word. */
export const STEMMED_LANGUAGES = {
  da: "danish",
  de: "german",
  en: "english",
  es: "spanish",
  fi: "finnish",
  fr: "french",
  hu: "hungarian",
  it: "italian",
  nl: "dutch",
  no: "norwegian",
  pt: "portuguese",
  ro: "romanian",
  ru: "russian",
  sv: "swedish",
  tr: "turkish",
} as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create text search configuration glose_simple (copy = simple)`.execute(db);
  await sql`alter text search configuration glose_simple alter mapping for hword, hword_part, word with unaccent, simple`.execute(db);
  for (const stemmer of Object.values(STEMMED_LANGUAGES)) {
    await sql.raw(`create text search configuration glose_${stemmer} (copy = ${stemmer})`).execute(db);
    await sql
      .raw(`alter text search configuration glose_${stemmer} alter mapping for hword, hword_part, word with unaccent, ${stemmer}_stem`)
      .execute(db);
  }
  const cases = Object.entries(STEMMED_LANGUAGES)
    .map(([code, stemmer]) => `when '${code}' then 'glose_${stemmer}'::regconfig`)
    .join(" ");
  await sql
    .raw(
      `create function glose_ts_config(language text) returns regconfig language sql immutable as $$
        select case lower(split_part(coalesce(language, ''), '-', 1)) ${cases} else 'glose_simple'::regconfig end $$`,
    )
    .execute(db);
  await sql`alter table posts add column search tsvector`.execute(db);
  await sql`
    create function glose_posts_search() returns trigger language plpgsql as $$
    begin
      new.search :=
        setweight(to_tsvector(glose_ts_config(new.language), coalesce(new.title, '')), 'A') ||
        setweight(to_tsvector(glose_ts_config(new.language), array_to_string(new.tags, ' ')), 'A') ||
        setweight(to_tsvector(glose_ts_config(new.language), coalesce(new.comment, '')), 'B') ||
        setweight(to_tsvector('glose_simple', regexp_replace(coalesce(new.url, ''), '[/:.?=&_#+-]+', ' ', 'g')), 'C');
      return new;
    end $$`.execute(db);
  await sql`
    create trigger posts_search before insert or update of title, comment, url, tags, language on posts
    for each row execute function glose_posts_search()`.execute(db);
  await sql`update posts set title = title`.execute(db);
  // No pending list: PGlite has no autovacuum to flush one, and searches slow down as it grows.
  await sql`create index posts_search on posts using gin (search) with (fastupdate = off)`.execute(db);
}
