// THE post as a Note: the object dispatcher serves it, and the outgoing Create and Update wrap
// the very same object, so what followers receive is what servers fetch.
import type { Context, Federation } from "@fedify/fedify";
import { Hashtag, InteractionPolicy, InteractionRule, LanguageString, Mention, Note, PUBLIC_COLLECTION, Source } from "@fedify/vocab";
import type { QuotePolicy } from "../../db/schema.ts";
import { hashtagName, noteContent, tagPageUrl } from "../content/index.ts";
import { getAccount, type AccountRow } from "../data/account.ts";
import type { PostRow } from "../data/posts.ts";
import { Temporal } from "../temporal.ts";
import type { GloseContext } from "./context.ts";
import { noteIdParam, noteUri, parseNoteId } from "./note-id.ts";
import { countInteractions, type InteractionCounts } from "../data/interaction-counts.ts";
import { interactionCollections } from "./interactions.ts";
import { federatedPost, mayFetchPost } from "./visibility.ts";
import { ANONYMOUS, maySee } from "../services/visibility.ts";

const NO_INTERACTIONS: InteractionCounts = { replies: 0, likes: 0, shares: 0 };

export const NOTE_PATH = "/p/{id}";
export { noteIdParam, noteUri, parseNoteId };

export function registerNote(federation: Federation<GloseContext>): void {
  federation
    .setObjectDispatcher(Note, NOTE_PATH, async (ctx, { id }) => {
      // Deleted, private and superseded ids fall through to the web layer (410 or 404).
      const post = await federatedPost(ctx.data.db, id);
      if (post === undefined) return null;
      const account = await getAccount(ctx.data.db);
      if (account === undefined) return null;
      const counts = (await countInteractions(ctx.data.db, [post.id])).get(post.id);
      return buildNote(ctx, post, account, counts);
    })
    .authorize(mayFetchPost);
}

export function tagUrl(origin: string | URL, tag: string): URL {
  return new URL(tagPageUrl(origin, tag));
}

/**
 * Who a post is addressed to, as Mastodon reads visibility from `to` and `cc`; the accounts it
 * mentions are in `cc`, so that their servers show it to them whatever the visibility.
 */
export function audience(ctx: Context<GloseContext>, post: Pick<PostRow, "visibility" | "mentions">, username: string) {
  const followers = ctx.getFollowersUri(username);
  const shown = post.visibility === "private" ? [] : post.mentions.filter((mention) => !mention.silent);
  const mentioned = shown.map((mention) => new URL(mention.actorId));
  switch (post.visibility) {
    case "public":
      return { tos: [PUBLIC_COLLECTION], ccs: [followers, ...mentioned] };
    case "unlisted":
      return { tos: [followers], ccs: [PUBLIC_COLLECTION, ...mentioned] };
    case "followers":
    case "private":
      return { tos: [followers], ccs: mentioned };
  }
}

/** What a Note takes from its author's account. */
export type NoteAuthor = Pick<AccountRow, "username" | "quote_policy">;

export function buildNote(
  ctx: Context<GloseContext>,
  post: PostRow,
  author: NoteAuthor,
  counts: InteractionCounts = NO_INTERACTIONS,
): Note {
  const username = author.username;
  const content = noteContent(
    { url: post.url, title: post.title, commentHtml: post.comment_html, tags: post.tags, language: post.language },
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
    tags: [
      ...post.mentions
        .filter((mention) => !mention.silent)
        .map((mention) => new Mention({ href: new URL(mention.actorId), name: mention.handle })),
      ...post.tags.flatMap((tag) => {
        const name = hashtagName(tag);
        return name === null ? [] : [new Hashtag({ name: `#${name}`, href: tagUrl(ctx.canonicalOrigin, tag) })];
      }),
    ],
    source: new Source({ content: post.comment, mediaType: "text/markdown" }),
    ...interactionCollections(ctx, post, counts),
    interactionPolicy: quotePolicyOf(ctx, post, username, author.quote_policy),
  });
}

/**
 * Who may quote a public or unlisted post (Mastodon 4.5 offers no quote button without it): only
 * `canQuote`, since GoToSocial reads any other rule as approvals Glose would enforce.
 */
function quotePolicyOf(ctx: Context<GloseContext>, post: PostRow, username: string, policy: QuotePolicy): InteractionPolicy | null {
  if (!maySee(post, ANONYMOUS)) return null;
  const canQuote =
    policy === "automatic"
      ? new InteractionRule({ automaticApproval: PUBLIC_COLLECTION })
      : policy === "manual"
        ? new InteractionRule({ automaticApproval: ctx.getActorUri(username), manualApproval: PUBLIC_COLLECTION })
        : new InteractionRule({ automaticApproval: ctx.getActorUri(username) });
  return new InteractionPolicy({ canQuote });
}

export function toInstant(date: Date): Temporal.Instant {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}
