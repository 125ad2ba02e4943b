// A post's Note id: its permalink, with the generation after a tilde once republished.
import type { Context } from "@fedify/fedify";
import { Note } from "@fedify/vocab";
import type { PostRow } from "../data/posts.ts";
import type { GloseContext } from "./context.ts";

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
