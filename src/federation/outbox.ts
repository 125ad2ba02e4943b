// Sending posts to followers (Create, Update, Delete through the queue, to shared inboxes), and
// the outbox and featured collections that list them.
import type { Context, Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { Create, Delete, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { getAccount, type AccountRow } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import { hasNote } from "../data/deliveries.ts";
import { cancelHeld, holdDeliveries } from "./held-deliveries.ts";
import { getFollower, listFollowersAtInbox } from "../data/followers.ts";
import { countPosts, decodePostCursor, encodePostCursor, listPosts, type PostRow } from "../data/posts.ts";
import { tagSpellings } from "../data/tags.ts";
import type { PostFederation } from "../services/publishing.ts";
import { listedVisibilities } from "../services/visibility.ts";
import { ownerAccount } from "./actor.ts";
import { findTagActor } from "../services/tag-actors.ts";
import { sendToTagFollowers, tagOutboxPage, type PostEvent } from "./tag-announces.ts";
import type { GloseContext } from "./context.ts";
import { countInteractions, type InteractionCounts } from "../data/interaction-counts.ts";
import { audience, buildNote, noteIdParam, noteUri, toInstant, type NoteAuthor } from "./note.ts";
import { federatedPost, federationViewer, mayFetchPost } from "./visibility.ts";

const OUTBOX_PAGE_SIZE = 20;

export function registerOutbox(federation: Federation<GloseContext>): void {
  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", async (ctx, identifier, cursor) => {
      const account = await ownerAccount(ctx.data.db, identifier);
      if (account === undefined) {
        const tag = await findTagActor(ctx.data.db, identifier);
        return tag === undefined ? null : await tagOutboxPage(ctx, tag, cursor ?? "");
      }
      const before = cursor === null || cursor === "" ? undefined : decodePostCursor(cursor);
      const visibilities = listedVisibilities(await federationViewer(ctx), "federation");
      const rows = await listPosts(ctx.data.db, { visibilities, before, limit: OUTBOX_PAGE_SIZE + 1 });
      const page = rows.slice(0, OUTBOX_PAGE_SIZE);
      const last = page.at(-1);
      const counts = await countInteractions(ctx.data.db, page.map((post) => post.id));
      return {
        items: page.map((post) => createActivity(ctx, post, account, counts.get(post.id))),
        nextCursor: rows.length > OUTBOX_PAGE_SIZE && last !== undefined ? encodePostCursor(last) : null,
      };
    })
    .setCounter(async (ctx, identifier) => {
      const tag = await findTagActor(ctx.data.db, identifier);
      if (tag !== undefined) return await countPosts(ctx.data.db, { visibilities: ["public"], anyTag: await tagSpellings(ctx.data.db, tag.row.tag) });
      const visibilities = listedVisibilities(await federationViewer(ctx), "federation");
      return await countPosts(ctx.data.db, { visibilities });
    })
    .setFirstCursor(() => "");

  federation.setFeaturedDispatcher("/users/{identifier}/featured", async (ctx, identifier) => {
    const account = await ownerAccount(ctx.data.db, identifier);
    // A tag actor pins nothing.
    if (account === undefined) return (await findTagActor(ctx.data.db, identifier)) === undefined ? null : { items: [] };
    const visibilities = listedVisibilities(await federationViewer(ctx), "federation");
    const pinned = await listPosts(ctx.data.db, { visibilities, pinned: true, limit: 20 });
    const counts = await countInteractions(ctx.data.db, pinned.map((post) => post.id));
    return { items: pinned.map((post) => buildNote(ctx, post, account, counts.get(post.id))) };
  });

  // Each outbox item's id can be fetched: the Create of a post, wrapping its Note.
  federation
    .setObjectDispatcher(Create, "/p/{id}/create", async (ctx, { id }) => {
      const post = await federatedPost(ctx.data.db, id);
      if (post === undefined) return null;
      const account = await getAccount(ctx.data.db);
      if (account === undefined) return null;
      return createActivity(ctx, post, account, (await countInteractions(ctx.data.db, [post.id])).get(post.id));
    })
    .authorize(mayFetchPost);
}

function createActivity(ctx: Context<GloseContext>, post: PostRow, author: NoteAuthor, counts?: InteractionCounts): Create {
  const note = buildNote(ctx, post, author, counts);
  return new Create({
    id: ctx.getObjectUri(Create, { id: noteIdParam(post) }),
    actor: ctx.getActorUri(author.username),
    tos: note.toIds,
    ccs: note.ccIds,
    published: toInstant(post.published_at),
    object: note,
  });
}

function updateActivity(ctx: Context<GloseContext>, post: PostRow, author: NoteAuthor, counts?: InteractionCounts): Update {
  const note = buildNote(ctx, post, author, counts);
  return new Update({
    id: new URL(`#update-${Date.now()}`, note.id!),
    actor: ctx.getActorUri(author.username),
    tos: note.toIds,
    ccs: note.ccIds,
    object: note,
  });
}

/** The PostFederation the publishing service uses, sending as the owner through the queue. */
export function createPostFederation(federation: Federation<GloseContext>, contextData: GloseContext): PostFederation {
  const context = () => federation.createContext(new URL(contextData.config.origin), contextData);
  const send = async (post: PostRow, event: PostEvent, activity: (ctx: Context<GloseContext>, author: NoteAuthor) => Create | Update | Delete) => {
    const author = await owner(contextData.db);
    const username = author.username;
    const ctx = context();
    const sent = activity(ctx, author);
    // Create, Update and Delete of one post reach each server in that order.
    const orderingKey = noteUri(ctx, post).href;
    await ctx.sendActivity({ identifier: username }, "followers", sent, { preferSharedInbox: true, orderingKey });
    const mentioned = await mentionedRecipients(contextData.db, post);
    if (mentioned.length > 0) await ctx.sendActivity({ identifier: username }, mentioned, sent, { orderingKey });
    await sendToTagFollowers(ctx, post, username, event, sent instanceof Create ? null : sent);
  };
  return {
    published: (post) => send(post, "published", (ctx, author) => createActivity(ctx, post, author)),
    edited: async (post) => {
      const counts = (await countInteractions(contextData.db, [post.id])).get(post.id);
      await send(post, "edited", (ctx, author) => updateActivity(ctx, post, author, counts));
    },
    redelivered: async (post, inbox) => {
      // Only to those the post was for: followers behind that inbox, or accounts it mentions.
      const actorIds = new Set(await listFollowersAtInbox(contextData.db, inbox.href));
      for (const mention of post.mentions) {
        if (mention.inbox === inbox.href || mention.sharedInbox === inbox.href) actorIds.add(mention.actorId);
      }
      if (actorIds.size === 0) return false;
      const recipients = [...actorIds].map((id) => ({ id: new URL(id), inboxId: inbox }));
      const author = await owner(contextData.db);
      const ctx = context();
      // An inbox that never took the Create gets it (with the current Note); one that did, an Update.
      const createId = ctx.getObjectUri(Create, { id: noteIdParam(post) }).href;
      const created = await hasNote(contextData.db, post.id, inbox.href, createId, noteUri(ctx, post).href);
      const counts = (await countInteractions(contextData.db, [post.id])).get(post.id);
      const activity = created ? updateActivity(ctx, post, author, counts) : createActivity(ctx, post, author, counts);
      await ctx.sendActivity({ identifier: author.username }, recipients, activity, { orderingKey: noteUri(ctx, post).href });
      return true;
    },
    withdrawn: async (post, options) => {
      const sendDelete = () =>
        send(post, "withdrawn", (ctx, { username }) => {
          const id = noteUri(ctx, post);
          return new Delete({
            id: new URL(`#delete-${Date.now()}`, id),
            actor: ctx.getActorUri(username),
            ...audience(ctx, post, username),
            object: new Tombstone({ id }),
          });
        });
      const holdMs = options?.holdMs ?? 0;
      await (holdMs > 0 ? holdDeliveries({ key: withdrawalKey(post), delayMs: holdMs }, sendDelete) : sendDelete());
    },
    cancelWithdrawal: (post) => cancelHeld(contextData.db, withdrawalKey(post)),
  };
}

/** What marks a post's held Delete in the queue. */
function withdrawalKey(post: PostRow): string {
  return `delete ${post.id}~${post.generation}`;
}

/** Sends Update(Person) to followers after a profile change. */
export async function sendProfileUpdate(federation: Federation<GloseContext>, contextData: GloseContext): Promise<void> {
  const { username } = await owner(contextData.db);
  // Only a request context can dispatch the actor; this one stands for no real request.
  const ctx = federation.createContext(new Request(contextData.config.origin), contextData);
  const actor = await ctx.getActor(username);
  if (actor === null) return;
  await ctx.sendActivity({ identifier: username }, "followers", new Update({
    id: new URL(`#profile-update-${Date.now()}`, ctx.getActorUri(username)),
    actor: ctx.getActorUri(username),
    tos: [PUBLIC_COLLECTION],
    ccs: [ctx.getFollowersUri(username)],
    object: actor,
  }), { preferSharedInbox: true });
}

/**
 * The accounts a post mentions (or mentioned, for its edits and deletion) that do not follow the
 * owner: they get it in their own inbox.
 */
async function mentionedRecipients(db: Db, post: PostRow): Promise<Recipient[]> {
  if (post.visibility === "private") return [];
  const recipients: Recipient[] = [];
  for (const mention of post.mentions) {
    if (mention.inbox === null || (await getFollower(db, mention.actorId))?.status === "accepted") continue;
    recipients.push({
      id: new URL(mention.actorId),
      inboxId: new URL(mention.inbox),
      endpoints: mention.sharedInbox === null ? null : { sharedInbox: new URL(mention.sharedInbox) },
    });
  }
  return recipients;
}

async function owner(db: Db): Promise<AccountRow> {
  const account = await getAccount(db);
  if (account === undefined) throw new Error("no account to send as");
  return account;
}

