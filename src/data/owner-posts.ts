// The admin's list of posts: every visibility, filtered, searched and paged.
import type { Visibility } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import { POST_COLUMNS, type PostRow } from "./posts.ts";
import { liveReplies, searchPosts } from "./search.ts";
import { textArray } from "./sql-values.ts";

export interface OwnerPostQuery {
  readonly text: string;
  readonly visibilities: readonly Visibility[];
  readonly tag: string | null;
  readonly withReplies: boolean;
  readonly limit: number;
  readonly offset: number;
  /** The blog's language, for the search's stemming. */
  readonly language: string;
}

export async function listOwnerPosts(db: Db, query: OwnerPostQuery): Promise<{ total: number; posts: PostRow[] }> {
  if (query.text.trim() !== "") {
    const tagFilter = query.tag === null ? "" : ` #${query.tag}`;
    const found = await searchPosts(db, {
      query: `${query.text}${tagFilter}`,
      visibilities: query.visibilities,
      limit: query.limit,
      offset: query.offset,
      language: query.language,
      withReplies: query.withReplies,
    });
    return { total: found.total, posts: found.results.map((result) => result.post) };
  }
  const filtered = db
    .selectFrom("posts")
    .where("deleted_at", "is", null)
    .where("visibility", "in", [...query.visibilities])
    .$if(query.tag !== null, (q) => q.where("tags", "@>", textArray([query.tag!])))
    .$if(query.withReplies, (q) => q.where((eb) => eb.exists(liveReplies(db))));
  const posts = await filtered
    .select(POST_COLUMNS)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  const total =
    posts.length < query.limit && (posts.length > 0 || query.offset === 0)
      ? query.offset + posts.length
      : Number((await filtered.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { total, posts };
}
