// Undoing a deletion: within the undo window the post's Delete is still held in the queue, so the
// post comes back, as it was, and no server ever hears it was gone.
import { findLivePostByUrl, getPost, recordHistory, type PostRow } from "../data/posts.ts";
import { restoreDeleted } from "../data/deleted-posts.ts";
import { inTransaction } from "../data/transaction.ts";
import type { PublishingDeps } from "./publishing.ts";

export type UndoError = "not-found" | "too-late" | "duplicate";
export type UndoResult = { ok: true; post: PostRow } | { ok: false; error: UndoError };

class TooLate extends Error {}

export async function undoDelete(deps: PublishingDeps, id: string): Promise<UndoResult> {
  const windowMs = deps.undoWindowMs ?? 0;
  const before = await getPost(deps.db, id);
  if (before === undefined || before.deleted_at === null) return { ok: false, error: "not-found" };
  if (windowMs <= 0) return { ok: false, error: "too-late" };
  // The link was posted again meanwhile: two live posts never share a link.
  if (before.url !== null && (await findLivePostByUrl(deps.db, before.url)) !== undefined) return { ok: false, error: "duplicate" };
  try {
    const post = await inTransaction(deps.db, async () => {
      const post = await restoreDeleted(deps.db, id, windowMs);
      if (post === undefined) return undefined;
      if (post.federated_at !== null && !((await deps.federation.cancelWithdrawal?.(post)) ?? false)) throw new TooLate();
      await recordHistory(deps.db, "CREATED", post.id);
      return post;
    });
    return post === undefined ? { ok: false, error: "too-late" } : { ok: true, post };
  } catch (error) {
    if (error instanceof TooLate) return { ok: false, error: "too-late" };
    throw error;
  }
}
