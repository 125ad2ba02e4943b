// Renaming and removing a tag across the blog. Each affected post is edited through editPost,
// so that it records its history and its followers receive an Update, like any other edit.
import { normalizeTags, rewriteHashtags, tagKey } from "../content/index.ts";
import { getPost } from "../data/posts.ts";
import { countTagUses, listPostIdsWithTag, tagSpellings } from "../data/tags.ts";
import { editPost, type PublishingDeps } from "./publishing.ts";

export type TagResult =
  | { ok: true; tag: string; occurrences: number }
  | { ok: false; error: "not-found" | "invalid-name" };

/** The one normalized tag a name stands for, or null (empty, or several words). */
export function tagName(name: string): string | null {
  const tags = normalizeTags(name);
  return tags.length === 1 ? tags[0]! : null;
}

/** Renames `from` (in any spelling) to `to` on every post; a post that has both keeps one (tags
 * merge). Renaming to another case of the same tag (ia → IA) changes how it is written. */
export async function renameTag(deps: PublishingDeps, from: string, to: string): Promise<TagResult> {
  const typed = tagName(to);
  if (typed === null) return { ok: false, error: "invalid-name" };
  const ids = await listPostIdsWithTag(deps.db, from);
  if (ids.length === 0) return { ok: false, error: "not-found" };
  // Merged into a tag that exists: its spelling is kept, so that one tag keeps one spelling.
  const [existing] = tagKey(typed) === tagKey(from) ? [] : await tagSpellings(deps.db, typed);
  const target = existing ?? typed;
  if (target !== from) {
    await retag(deps, ids, (tags) => tags.map((tag) => (tagKey(tag) === tagKey(from) ? target : tag)), (comment) => rewriteHashtags(comment, from, target));
  }
  return { ok: true, tag: target, occurrences: await countTagUses(deps.db, target) };
}

/** Takes `name`, in any spelling, off every post that has it. */
export async function removeTag(deps: PublishingDeps, name: string): Promise<TagResult> {
  const ids = await listPostIdsWithTag(deps.db, name);
  if (ids.length === 0) return { ok: false, error: "not-found" };
  await retag(deps, ids, (tags) => tags.filter((tag) => tagKey(tag) !== tagKey(name)), (comment) => rewriteHashtags(comment, name, null));
  return { ok: true, tag: name, occurrences: 0 };
}

/** Edits each post's tags, and its commentary's hashtags, which would bring the old tag back. */
async function retag(
  deps: PublishingDeps,
  ids: readonly string[],
  change: (tags: string[]) => string[],
  rewrite: (comment: string) => string,
): Promise<void> {
  for (const id of ids) {
    const post = await getPost(deps.db, id);
    // Deleted meanwhile: editPost would answer not-found anyway.
    if (post === undefined || post.deleted_at !== null) continue;
    await editPost(deps, id, { tags: change(post.tags), comment: rewrite(post.comment) });
  }
}
