// Full-text search: a weighted tsvector per post, in the post's language, accents folded, kept
// up to date by a trigger and indexed with GIN.
import { sql, type Kysely } from "kysely";

/**
 * BCP 47 primary subtags → the Snowball stemmers PostgreSQL ships (15 and 18 alike; 17 added
 * Estonian, which 15 lacks). Any other language is indexed word for word ("simple").
 */
const STEMMED_LANGUAGES: Record<string, string> = {
  ar: "arabic",
  ca: "catalan",
  da: "danish",
  de: "german",
  el: "greek",
  en: "english",
  es: "spanish",
  eu: "basque",
  fi: "finnish",
  fr: "french",
  ga: "irish",
  hi: "hindi",
  hu: "hungarian",
  hy: "armenian",
  id: "indonesian",
  it: "italian",
  lt: "lithuanian",
  nb: "norwegian",
  ne: "nepali",
  nl: "dutch",
  nn: "norwegian",
  no: "norwegian",
  pt: "portuguese",
  ro: "romanian",
  ru: "russian",
  sr: "serbian",
  sv: "swedish",
  ta: "tamil",
  tr: "turkish",
  yi: "yiddish",
};

export async function up(db: Kysely<any>): Promise<void> {
  // unaccent is a trusted extension (the database owner may create it); PGlite loads it from
  // @electric-sql/pglite/contrib/unaccent (see src/data/client.ts).
  await sql`create extension if not exists unaccent`.execute(db);
  // One configuration per stemmer, each folding accents before stemming, so that "ecole" finds
  // "École" and "pedopornographie" finds "pédopornographiques", in the index and in queries alike.
  await sql`create text search configuration glose_simple (copy = simple)`.execute(db);
  await sql`alter text search configuration glose_simple alter mapping for hword, hword_part, word with unaccent, simple`.execute(db);
  for (const stemmer of new Set(Object.values(STEMMED_LANGUAGES))) {
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
      `create function glose_ts_config(language text) returns regconfig language sql immutable parallel safe as $$
        select case lower(split_part(coalesce(language, ''), '-', 1)) ${cases} else 'glose_simple'::regconfig end $$`,
    )
    .execute(db);

  await sql`alter table posts add column search tsvector`.execute(db);
  // The link's host and path words ("www.lemonde.fr/pixels/article" → lemonde fr pixels article)
  // go through the post's configuration too, so a query stems them the same way.
  await sql`
    create function glose_posts_search() returns trigger language plpgsql as $$
    declare
      config regconfig := glose_ts_config(new.language);
      link text := regexp_replace(coalesce(new.url, ''), '^[a-z][a-z0-9+.-]*://(www[0-9]*\.)?', '', 'i');
    begin
      new.search :=
        setweight(to_tsvector(config, coalesce(new.title, '')), 'A') ||
        setweight(to_tsvector(config, array_to_string(new.tags, ' ')), 'A') ||
        setweight(to_tsvector(config, coalesce(new.comment, '')), 'B') ||
        setweight(to_tsvector(config, regexp_replace(link, '[/:.?=&_#+%~,;-]+', ' ', 'g')), 'C');
      return new;
    end $$`.execute(db);
  await sql`
    create trigger posts_search before insert or update of title, comment, url, tags, language on posts
    for each row execute function glose_posts_search()`.execute(db);
  await sql`update posts set title = title`.execute(db);
  // No pending list: PGlite has no autovacuum to flush one, and searches slow down as it grows.
  await sql`create index posts_search on posts using gin (search) with (fastupdate = off)`.execute(db);
  // Searches analyze the words in every language the posts are written in; this index lists
  // those languages in a few probes instead of a scan of every post.
  await sql`create index posts_language on posts (language)`.execute(db);
}
