// THE post as a Note: the object dispatcher serves it, and the outgoing Create and Update wrap
// the very same object, so what followers receive is what servers fetch.
import type { Context, Federation } from "@fedify/fedify";
import { Hashtag, LanguageString, Note, PUBLIC_COLLECTION, Source } from "@fedify/vocab";
import { hashtagName, noteContent } from "../content.ts";
import { getAccount } from "../data/account.ts";
import { getPost, type PostRow } from "../data/posts.ts";
import { Temporal } from "../temporal.ts";
import type { GloseContext } from "./context.ts";

export const NOTE_PATH = "/p/{id}";

export function registerNote(federation: Federation<GloseContext>): void {
  federation.setObjectDispatcher(Note, NOTE_PATH, async (ctx, { id }) => {
    const { postId, generation } = parseNoteId(id);
    const post = await getPost(ctx.data.db, postId);
    // Deleted, private and superseded ids fall through to the web layer (410 or 404).
    if (post === undefined || post.deleted_at !== null || post.visibility === "private") return null;
    if (post.generation !== generation) return null;
    const account = await getAccount(ctx.data.db);
    return account === undefined ? null : buildNote(ctx, post, account.username);
  });
}

/** The Note id's path parameter: the post id, with the generation after a tilde once republished. */
export function noteIdParam(post: Pick<PostRow, "id" | "generation">): string {
  return post.generation === 0 ? post.id : `${post.id}~${post.generation}`;
}

export function parseNoteId(param: string): { postId: string; generation: number } {
  const [postId = "", generation] = param.split("~");
  return { postId, generation: generation === undefined ? 0 : Number(generation) };
}

export function noteUri(ctx: Context<GloseContext>, post: Pick<PostRow, "id" | "generation">): URL {
  return ctx.getObjectUri(Note, { id: noteIdParam(post) });
}

export function tagUrl(origin: string | URL, tag: string): URL {
  return new URL(`/tags/${encodeURIComponent(tag)}`, origin);
}

/** Who a post is addressed to, as Mastodon reads visibility from `to` and `cc`. */
export function audience(ctx: Context<GloseContext>, post: Pick<PostRow, "visibility">, username: string) {
  const followers = ctx.getFollowersUri(username);
  switch (post.visibility) {
    case "public":
      return { tos: [PUBLIC_COLLECTION], ccs: [followers] };
    case "unlisted":
      return { tos: [followers], ccs: [PUBLIC_COLLECTION] };
    case "followers":
    case "private":
      return { tos: [followers], ccs: [] };
  }
}

export function buildNote(ctx: Context<GloseContext>, post: PostRow, username: string): Note {
  const content = noteContent(
    { url: post.url, title: post.title, commentHtml: post.comment_html, tags: post.tags },
    (tag) => tagUrl(ctx.canonicalOrigin, tag).href,
  );
  const id = noteUri(ctx, post);
  return new Note({
    id,
    attribution: ctx.getActorUri(username),
    ...audience(ctx, post, username),
    contents: [content, new LanguageString(content, post.language)],
    url: new URL(`/p/${post.id}`, ctx.canonicalOrigin),
    published: toInstant(post.published_at),
    // An updated differing from published marks a post as edited: only set it after an edit.
    updated: post.updated_at === null ? null : toInstant(post.updated_at),
    sensitive: false,
    tags: post.tags.flatMap((tag) => {
      const name = hashtagName(tag);
      return name === null ? [] : [new Hashtag({ name: `#${name}`, href: tagUrl(ctx.canonicalOrigin, tag) })];
    }),
    source: new Source({ content: post.comment, mediaType: "text/markdown" }),
  });
}

export function toInstant(date: Date): Temporal.Instant {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}
