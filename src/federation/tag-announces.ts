// What tag actors send: each public post with a followed tag is boosted (Announce) by that tag's
// actor, so that likes, boosts and replies still go to the post itself; its edits and deletion
// reach the tag's followers too. Each (post, tag actor) pair has its own ordering key.
import type { Context, Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { Announce, type Delete, PUBLIC_COLLECTION, Undo, type Update } from "@fedify/vocab";
import type { Db } from "../data/client.ts";
import { decodePostCursor, encodePostCursor, listPosts, type PostRow } from "../data/posts.ts";
import { forgetAnnounce, listAnnouncingHandles, listTagFollowers, recordAnnounce } from "../data/tag-actors.ts";
import { tagSpellings } from "../data/tags.ts";
import { tagKey } from "../content/tags.ts";
import { findTagActor, tagActorsOf, type TagActor } from "../services/tag-actors.ts";
import type { GloseContext } from "./context.ts";
import { noteIdParam, noteUri, toInstant } from "./note.ts";
import { federatedPost } from "./visibility.ts";

const ANNOUNCE_PATH = "/users/{identifier}/announces/{id}";
const SEND_OPTIONS = { preferSharedInbox: true } as const;
const OUTBOX_PAGE_SIZE = 20;

export function registerTagAnnounces(federation: Federation<GloseContext>): void {
  federation.setObjectDispatcher(Announce, ANNOUNCE_PATH, async (ctx, { identifier, id }) => {
    const tag = await findTagActor(ctx.data.db, identifier);
    const post = await federatedPost(ctx.data.db, id);
    if (tag === undefined || post === undefined || !announceable(post, tag.row.tag)) return null;
    return announce(ctx, post, identifier, tag.account.username);
  });
}

/** Only public posts go through tag actors: never followers-only, private or unlisted ones. */
function announceable(post: PostRow, tag: string): boolean {
  return post.visibility === "public" && post.deleted_at === null && post.tags.some((spelling) => tagKey(spelling) === tagKey(tag));
}

function announce(ctx: Context<GloseContext>, post: PostRow, handle: string, owner: string): Announce {
  return new Announce({
    id: ctx.getObjectUri(Announce, { identifier: handle, id: noteIdParam(post) }),
    actor: ctx.getActorUri(handle),
    object: noteUri(ctx, post),
    published: toInstant(post.published_at),
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(handle), ctx.getActorUri(owner)],
  });
}

/** A tag actor's outbox page: its Announces, newest first. */
export async function tagOutboxPage(ctx: Context<GloseContext>, { account, row }: TagActor, cursor: string) {
  const { handle, tag } = row;
  const before = cursor === "" ? undefined : decodePostCursor(cursor);
  const rows = await listPosts(ctx.data.db, { visibilities: ["public"], anyTag: await tagSpellings(ctx.data.db, tag), before, limit: OUTBOX_PAGE_SIZE + 1 });
  const page = rows.slice(0, OUTBOX_PAGE_SIZE);
  const last = page.at(-1);
  return {
    items: page.map((post) => announce(ctx, post, handle, account.username)),
    nextCursor: rows.length > OUTBOX_PAGE_SIZE && last !== undefined ? encodePostCursor(last) : null,
  };
}

export type PostEvent = "published" | "edited" | "withdrawn";

/**
 * After the owner's own activity for `post`: tag actors newly concerned announce it, those no
 * longer concerned (tag removed, no longer public, deleted) undo their Announce, and the
 * followers of each tag that announced it get the owner's Update or Delete.
 */
export async function sendToTagFollowers(
  ctx: Context<GloseContext>,
  post: PostRow,
  owner: string,
  event: PostEvent,
  ownerActivity: Update | Delete | null,
): Promise<void> {
  const db = ctx.data.db;
  const wanted = event === "withdrawn" || post.visibility !== "public" ? [] : await tagActorsOf(db, post.tags);
  const wantedHandles = new Set(wanted.map((row) => row.handle));
  const announced = new Set(await listAnnouncingHandles(db, post.id));
  for (const handle of wantedHandles) {
    const orderingKey = tagOrderingKey(ctx, post, handle);
    if (!announced.has(handle)) {
      await ctx.sendActivity({ identifier: handle }, "followers", announce(ctx, post, handle, owner), { ...SEND_OPTIONS, orderingKey });
      await recordAnnounce(db, post.id, handle);
    } else if (ownerActivity !== null) {
      await sendAsOwner(ctx, db, owner, handle, ownerActivity, orderingKey);
    }
  }
  for (const handle of announced) {
    if (wantedHandles.has(handle)) continue;
    const orderingKey = tagOrderingKey(ctx, post, handle);
    const boost = announce(ctx, post, handle, owner);
    await ctx.sendActivity({ identifier: handle }, "followers", new Undo({
      id: new URL(`#undo-${Date.now()}`, boost.id!),
      actor: boost.actorId,
      tos: [PUBLIC_COLLECTION],
      ccs: [ctx.getFollowersUri(handle)],
      object: boost,
    }), { ...SEND_OPTIONS, orderingKey });
    if (event === "withdrawn" && ownerActivity !== null) await sendAsOwner(ctx, db, owner, handle, ownerActivity, orderingKey);
    await forgetAnnounce(db, post.id, handle);
  }
}

/** The owner's Update or Delete of a post, to the followers of a tag that boosted it. */
async function sendAsOwner(ctx: Context<GloseContext>, db: Db, owner: string, handle: string, activity: Update | Delete, orderingKey: string) {
  const recipients: Recipient[] = (await listTagFollowers(db, handle)).map((row) => ({
    id: new URL(row.actor_id),
    inboxId: new URL(row.inbox_url),
    endpoints: row.shared_inbox_url === null ? null : { sharedInbox: new URL(row.shared_inbox_url) },
  }));
  if (recipients.length > 0) await ctx.sendActivity({ identifier: owner }, recipients, activity, { ...SEND_OPTIONS, orderingKey });
}

function tagOrderingKey(ctx: Context<GloseContext>, post: PostRow, handle: string): string {
  return `${noteUri(ctx, post).href} ${ctx.getActorUri(handle).href}`;
}
