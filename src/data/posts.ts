import { randomInt } from "node:crypto";
import { sql, type Insertable, type Selectable, type Updateable } from "kysely";
import type { HistoryEvent, LinkPreview, PostTable, Visibility } from "../../db/schema.ts";
import { tagKey } from "../content/tags.ts";
import type { Db } from "./client.ts";
import { jsonb } from "./json.ts";
import { textArray } from "./sql-values.ts";

/** A post as Glose reads it: every column but the search vector, which only the database uses. */
export type PostRow = Omit<Selectable<PostTable>, "search">;

export const POST_COLUMNS = [
  "id",
  "url",
  "title",
  "comment",
  "comment_html",
  "tags",
  "visibility",
  "language",
  "pinned",
  "preview",
  "mentions",
  "published_at",
  "updated_at",
  "federated_at",
  "generation",
  "deleted_at",
] as const satisfies readonly (keyof PostRow)[];
export type NewPost = Insertable<PostTable>;
export type PostChanges = Updateable<PostTable>;

const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o, 1/l: ids are read and typed

/** A short random permalink id, as Shaarli's: 8 characters, 40 bits. */
export function newPostId(): string {
  let id = "";
  for (let i = 0; i < 8; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export async function insertPost(db: Db, post: NewPost): Promise<PostRow> {
  return await db.insertInto("posts").values(post).returning(POST_COLUMNS).executeTakeFirstOrThrow();
}

export async function updatePost(db: Db, id: string, changes: PostChanges): Promise<PostRow | undefined> {
  return await db.updateTable("posts").set(changes).where("id", "=", id).returning(POST_COLUMNS).executeTakeFirst();
}

/** A post by id, deleted ones included (they answer 410). */
export async function getPost(db: Db, id: string): Promise<PostRow | undefined> {
  return await db.selectFrom("posts").select(POST_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export async function findLivePostByUrl(db: Db, url: string): Promise<PostRow | undefined> {
  return await db
    .selectFrom("posts")
    .select(POST_COLUMNS)
    .where("url", "=", url)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export interface PostCursor {
  readonly publishedAt: Date;
  readonly id: string;
}

export interface PostQuery {
  readonly visibilities: readonly Visibility[];
  readonly before?: PostCursor;
  readonly limit?: number;
  readonly offset?: number;
  readonly tags?: readonly string[];
  /** Posts carrying any of these tags: the spellings of one tag (see tagSpellings). */
  readonly anyTag?: readonly string[];
  readonly pinned?: boolean;
}

/** Live posts, newest first, with keyset paging. */
export async function listPosts(db: Db, query: PostQuery): Promise<PostRow[]> {
  let select = db
    .selectFrom("posts")
    .select(POST_COLUMNS)
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...query.visibilities]);
  const { before } = query;
  if (before !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb("published_at", "<", before.publishedAt),
        eb.and([eb("published_at", "=", before.publishedAt), eb("id", "<", before.id)]),
      ]),
    );
  }
  if (query.tags !== undefined && query.tags.length > 0) select = select.where("tags", "@>", textArray(query.tags));
  if (query.anyTag !== undefined) select = select.where("tags", "&&", textArray(query.anyTag));
  if (query.pinned !== undefined) select = select.where("pinned", "=", query.pinned);
  select = select.orderBy("published_at", "desc").orderBy("id", "desc");
  if (query.limit !== undefined) select = select.limit(query.limit);
  if (query.offset !== undefined) select = select.offset(query.offset);
  return await select.execute();
}

export async function countPosts(
  db: Db,
  query: { visibilities: readonly Visibility[]; since?: Date; tags?: readonly string[]; anyTag?: readonly string[] },
): Promise<number> {
  let select = db
    .selectFrom("posts")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...query.visibilities]);
  if (query.since !== undefined) select = select.where("published_at", ">=", query.since);
  if (query.tags !== undefined && query.tags.length > 0) select = select.where("tags", "@>", textArray(query.tags));
  if (query.anyTag !== undefined) select = select.where("tags", "&&", textArray(query.anyTag));
  const row = await select.executeTakeFirstOrThrow();
  return Number(row.n);
}

export function encodePostCursor(post: Pick<PostRow, "published_at" | "id">): string {
  return `${post.published_at.toISOString()}|${post.id}`;
}

export function decodePostCursor(cursor: string): PostCursor | undefined {
  const separator = cursor.indexOf("|");
  if (separator < 0) return undefined;
  const publishedAt = new Date(cursor.slice(0, separator));
  return Number.isNaN(publishedAt.getTime()) ? undefined : { publishedAt, id: cursor.slice(separator + 1) };
}

export async function recordHistory(db: Db, event: HistoryEvent, postId: string | null): Promise<void> {
  await db.insertInto("post_history").values({ event, post_id: postId }).execute();
}

export async function listHistory(
  db: Db,
  options: { since?: Date; offset?: number; limit?: number },
): Promise<{ event: HistoryEvent; post_id: string | null; at: Date }[]> {
  let select = db.selectFrom("post_history").select(["event", "post_id", "at"]);
  if (options.since !== undefined) select = select.where("at", ">", options.since);
  select = select.orderBy("at", "desc").orderBy("id", "desc");
  if (options.limit !== undefined) select = select.limit(options.limit);
  if (options.offset !== undefined) select = select.offset(options.offset);
  return await select.execute();
}

/** Every tag in use, most used first: the editor suggests them. */
export async function listTagNames(db: Db, limit = 500): Promise<string[]> {
  const { rows } = await sql<{ tag: string }>`
    select tag from posts, unnest(tags) as tag
    where deleted_at is null
    group by tag order by count(*) desc, tag limit ${limit}`.execute(db);
  return rows.map((row) => row.tag);
}

/**
 * Tags with how many posts of the given visibilities carry them, most used first. The spellings
 * of one tag (IA, ia) count together, under the most used one.
 */
export async function listTagCounts(db: Db, visibilities: readonly Visibility[]): Promise<{ tag: string; count: number }[]> {
  const { rows } = await sql<{ tag: string; count: number }>`
    select tag, count(*)::int as count from posts, unnest(tags) as tag
    where deleted_at is null and visibility in (${sql.join([...visibilities])})
    group by tag order by count(*) desc, tag`.execute(db);
  const merged = new Map<string, { tag: string; count: number }>();
  for (const row of rows) {
    const entry = merged.get(tagKey(row.tag));
    if (entry === undefined) merged.set(tagKey(row.tag), { tag: row.tag, count: row.count });
    else entry.count += row.count;
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

/** Newer posts than a cursor, oldest first: the page before the current one, for "newer" links. */
export async function listPostsAfter(db: Db, query: Omit<PostQuery, "before"> & { after: PostCursor }): Promise<PostRow[]> {
  let select = db
    .selectFrom("posts")
    .select(POST_COLUMNS)
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...query.visibilities])
    .where((eb) =>
      eb.or([
        eb("published_at", ">", query.after.publishedAt),
        eb.and([eb("published_at", "=", query.after.publishedAt), eb("id", ">", query.after.id)]),
      ]),
    );
  if (query.tags !== undefined && query.tags.length > 0) select = select.where("tags", "@>", textArray(query.tags));
  if (query.anyTag !== undefined) select = select.where("tags", "&&", textArray(query.anyTag));
  if (query.pinned !== undefined) select = select.where("pinned", "=", query.pinned);
  select = select.orderBy("published_at", "asc").orderBy("id", "asc");
  if (query.limit !== undefined) select = select.limit(query.limit);
  return await select.execute();
}

/** Live posts published in [from, to), newest first. */
export async function listPostsBetween(db: Db, visibilities: readonly Visibility[], from: Date, to: Date): Promise<PostRow[]> {
  return await db
    .selectFrom("posts")
    .select(POST_COLUMNS)
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...visibilities])
    .where("published_at", ">=", from)
    .where("published_at", "<", to)
    .orderBy("published_at", "desc")
    .execute();
}

/** The publication date of the nearest post before `date` (or after, with `direction: "after"`). */
export async function nearestPostDate(
  db: Db,
  visibilities: readonly Visibility[],
  date: Date,
  direction: "before" | "after",
): Promise<Date | null> {
  const row = await db
    .selectFrom("posts")
    .select("published_at")
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...visibilities])
    .where("published_at", direction === "before" ? "<" : ">=", date)
    .orderBy("published_at", direction === "before" ? "desc" : "asc")
    .limit(1)
    .executeTakeFirst();
  return row?.published_at ?? null;
}

/** Stores a link preview, unless the post's URL changed meanwhile. */
export async function setPostPreview(db: Db, id: string, url: string | null, preview: LinkPreview | null): Promise<void> {
  let query = db.updateTable("posts").set({ preview: preview === null ? null : jsonb(preview) }).where("id", "=", id);
  query = url === null ? query.where("url", "is", null) : query.where("url", "=", url);
  await query.execute();
}
