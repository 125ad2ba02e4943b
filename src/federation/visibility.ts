// The visibility rule on the federation side: who fetches (a server by its verified HTTP
// signature, the owner by the admin's session cookie, anyone else), and which post an id names.
import type { RequestContext } from "@fedify/fedify";
import type { Db } from "../data/client.ts";
import { hasFollowerAt } from "../data/followers.ts";
import { getPost, type PostRow } from "../data/posts.ts";
import { isValidSession, SESSION_COOKIE } from "../services/auth.ts";
import { ANONYMOUS, isFederated, maySee, OWNER, type Viewer } from "../services/visibility.ts";
import type { GloseContext } from "./context.ts";
import { parseNoteId } from "./note-id.ts";

export async function federationViewer(ctx: RequestContext<GloseContext>): Promise<Viewer> {
  // Fedify verifies the signature, fetches the key's owner (whose document must come from its
  // own origin) and checks that the owner lists the key: that origin vouches for the request.
  const owner = await ctx.getSignedKeyOwner();
  if (owner?.id != null) {
    const origin = owner.id.origin;
    return { kind: "server", origin, followed: await hasFollowerAt(ctx.data.db, origin) };
  }
  if (await isValidSession(ctx.data.db, sessionToken(ctx.request.headers.get("cookie")))) return OWNER;
  return ANONYMOUS;
}

/** The live post a Note id names, if it has a Note: deleted, private and superseded ids have none. */
export async function federatedPost(db: Db, noteId: string): Promise<PostRow | undefined> {
  const { postId, generation } = parseNoteId(noteId);
  const post = await getPost(db, postId);
  if (post === undefined || post.deleted_at !== null || post.generation !== generation) return undefined;
  return isFederated(post) ? post : undefined;
}

/**
 * Fedify's authorize predicate for a post's documents (Note, Create, replies, likes, shares).
 * A refusal answers 404, as for a post that does not exist (see web/federation-middleware.ts).
 */
export async function mayFetchPost(ctx: RequestContext<GloseContext>, values: Record<string, string>): Promise<boolean> {
  const post = await federatedPost(ctx.data.db, values.id ?? "");
  if (post === undefined) return false;
  // What anyone may see needs no signature checked (nor the signer's key fetched).
  return maySee(post, ANONYMOUS) || maySee(post, await federationViewer(ctx));
}

function sessionToken(cookies: string | null): string | undefined {
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`).exec(cookies ?? "")?.[1];
}
