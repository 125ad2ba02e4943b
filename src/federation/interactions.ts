// Each post's replies, likes and shares as collections with true totals, so that servers that
// fetch a post see its conversation (Mastodon 4.5 follows `replies`; 4.4+ shows the counts).
import type { Context, Federation } from "@fedify/fedify";
import { Announce, Collection, Like, Note, Object as ApObject } from "@fedify/vocab";
import type { PostRow } from "../data/posts.ts";
import { countReactions, listReactions } from "../data/reactions.ts";
import type { InteractionCounts } from "../data/interaction-counts.ts";
import { countVisibleReplies, listVisibleReplies } from "../data/replies.ts";
import type { GloseContext } from "./context.ts";
import { noteIdParam, noteUri } from "./note-id.ts";
import { federatedPost, mayFetchPost } from "./visibility.ts";

/** The three collections as the Note carries them: ids and totals. */
export function interactionCollections(ctx: Context<GloseContext>, post: PostRow, counts: InteractionCounts) {
  const values = { id: noteIdParam(post) };
  return {
    replies: new Collection({ id: ctx.getCollectionUri("replies", values), totalItems: counts.replies }),
    likes: new Collection({ id: ctx.getCollectionUri("likes", values), totalItems: counts.likes }),
    shares: new Collection({ id: ctx.getCollectionUri("shares", values), totalItems: counts.shares }),
  };
}

export function registerInteractions(federation: Federation<GloseContext>): void {
  federation
    .setCollectionDispatcher("replies", ApObject, "/p/{id}/replies", async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      if (post === undefined) return null;
      const replies = await listVisibleReplies(ctx.data.db, post.id);
      return { items: replies.map((reply) => new Note({ id: new URL(reply.id) })) };
    })
    .authorize(mayFetchPost)
    .setCounter(async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      return post === undefined ? null : (await countVisibleReplies(ctx.data.db, [post.id])).get(post.id) ?? 0;
    });

  federation
    .setCollectionDispatcher("likes", Like, "/p/{id}/likes", async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      if (post === undefined) return null;
      const likes = await listReactions(ctx.data.db, post.id, "like");
      return {
        items: likes.map((like) => new Like({ id: new URL(like.activity_id), actor: new URL(like.actor_id), object: noteUri(ctx, post) })),
      };
    })
    .authorize(mayFetchPost)
    .setCounter(async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      return post === undefined ? null : (await countReactions(ctx.data.db, [post.id])).get(post.id)!.like;
    });

  federation
    .setCollectionDispatcher("shares", Announce, "/p/{id}/shares", async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      if (post === undefined) return null;
      const shares = await listReactions(ctx.data.db, post.id, "announce");
      return {
        items: shares.map(
          (share) => new Announce({ id: new URL(share.activity_id), actor: new URL(share.actor_id), object: noteUri(ctx, post) }),
        ),
      };
    })
    .authorize(mayFetchPost)
    .setCounter(async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      return post === undefined ? null : (await countReactions(ctx.data.db, [post.id])).get(post.id)!.announce;
    });
}
