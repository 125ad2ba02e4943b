// Who may see a post: the one rule that every path asks (permalinks as HTML and as Note, the
// Create, the replies, likes and shares collections, the outbox and featured, lists, feeds,
// search). Pure: the web and federation layers find out who the viewer is, this decides.
import type { Visibility } from "../../db/schema.ts";
import type { PostRow } from "../data/posts.ts";

/**
 * Who is asking. The owner: the admin's session. A server: a verified HTTP signature, by the
 * origin of the key's owner; `followed` when one of the accepted followers has that origin
 * (servers fetch with an instance actor, not with the follower's own). Anyone else: anonymous.
 */
export type Viewer =
  | { readonly kind: "owner" }
  | { readonly kind: "server"; readonly origin: string; readonly followed: boolean }
  | { readonly kind: "anonymous" };

export const OWNER: Viewer = { kind: "owner" };
export const ANONYMOUS: Viewer = { kind: "anonymous" };

export const VISIBILITIES: readonly Visibility[] = ["public", "unlisted", "followers", "private"];

/**
 * May `viewer` see `post`? Deleted posts are not decided here: their permalinks answer 410. A
 * followers-only post is also seen by the servers of the accounts it mentions, as on Mastodon.
 */
export function maySee(post: Pick<PostRow, "visibility"> & Partial<Pick<PostRow, "mentions">>, viewer: Viewer): boolean {
  switch (post.visibility) {
    case "public":
    case "unlisted":
      return true;
    case "followers":
      if (viewer.kind === "owner") return true;
      if (viewer.kind !== "server") return false;
      return viewer.followed || (post.mentions ?? []).some((mention) => new URL(mention.actorId).origin === viewer.origin);
    case "private":
      return viewer.kind === "owner";
  }
}

/** Whether a post exists as a Note at all: private posts never leave the blog. */
export function isFederated(post: Pick<PostRow, "visibility">): boolean {
  return post.visibility !== "private";
}

/**
 * Where a list of posts is shown, which narrows what the rule allows there:
 * - `blog`: the blog's own pages (home, tags, daily, search); unlisted posts are listed, as
 *   they were always on the blog's pages, only kept out of feeds.
 * - `feed`: Atom and RSS, cached, copied and aggregated far beyond the blog: public posts only,
 *   whoever asks, the owner included.
 * - `federation`: the outbox and featured collections: never a private post, which has no Note.
 */
export type Listing = "blog" | "feed" | "federation";

/** The visibilities that `viewer` may see in `listing`: what list queries filter on. */
export function listedVisibilities(viewer: Viewer, listing: Listing): readonly Visibility[] {
  return VISIBILITIES.filter((visibility) => {
    const post = { visibility };
    if (!maySee(post, viewer)) return false;
    switch (listing) {
      case "blog":
        return true;
      case "feed":
        return visibility === "public";
      case "federation":
        return isFederated(post);
    }
  });
}

/** Web pages know two viewers: the owner by the admin's session, and anyone else. */
export function webViewer(owner: boolean): Viewer {
  return owner ? OWNER : ANONYMOUS;
}
