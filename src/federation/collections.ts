// The actor's social collections: followers (paged, complete for fan-out) and following (empty,
// but paged too: Mastodon takes a collection without a first page for a hidden one).
import type { Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { countFollowers, listFollowerInboxes, listFollowers, type FollowerInboxes, type FollowerRow } from "../data/followers.ts";
import { listTagFollowers, type TagFollowerRow } from "../data/tag-actors.ts";
import type { GloseContext } from "./context.ts";
import { localActor } from "./tag-actor.ts";

const FOLLOWERS_PAGE_SIZE = 40;

export function registerCollections(federation: Federation<GloseContext>): void {
  federation
    .setFollowersDispatcher("/users/{identifier}/followers", async (ctx, identifier, cursor, filter) => {
      const actor = await localActor(ctx.data.db, identifier);
      if (actor === undefined) return null;
      if (actor.kind === "tag") {
        // A tag's followers fit in one page: the fan-out's list and the readers' are the same.
        const rows = await listTagFollowers(ctx.data.db, actor.tag.row.handle);
        const items = rows.filter((row) => filter === undefined || sameOrigin(row.actor_id, filter)).map(toRecipient);
        return cursor === null ? { items } : { items, nextCursor: null };
      }
      // A null cursor is Fedify asking for every recipient (fan-out); pages are for readers.
      if (cursor === null) {
        const rows = await listFollowerInboxes(ctx.data.db);
        const items = rows.filter((row) => filter === undefined || sameOrigin(row.actor_id, filter)).map(toRecipient);
        return { items };
      }
      const rows = await listFollowers(ctx.data.db, { before: decodeCursor(cursor), limit: FOLLOWERS_PAGE_SIZE + 1 });
      const page = rows.slice(0, FOLLOWERS_PAGE_SIZE);
      const last = page.at(-1);
      return {
        items: page.map(toRecipient),
        nextCursor: rows.length > FOLLOWERS_PAGE_SIZE && last !== undefined ? encodeCursor(last) : null,
      };
    })
    .setCounter(async (ctx, identifier) => {
      const actor = await localActor(ctx.data.db, identifier);
      if (actor === undefined) return null;
      if (actor.kind === "tag") return (await listTagFollowers(ctx.data.db, actor.tag.row.handle)).length;
      return await countFollowers(ctx.data.db);
    })
    .setFirstCursor(() => "");

  federation
    .setFollowingDispatcher("/users/{identifier}/following", async (ctx, identifier) => {
      if ((await localActor(ctx.data.db, identifier)) === undefined) return null;
      return { items: [], nextCursor: null };
    })
    .setCounter(() => 0)
    .setFirstCursor(() => "");
}

function toRecipient(row: FollowerInboxes | TagFollowerRow): Recipient {
  return {
    id: new URL(row.actor_id),
    inboxId: new URL(row.inbox_url),
    endpoints: row.shared_inbox_url === null ? null : { sharedInbox: new URL(row.shared_inbox_url) },
  };
}

function sameOrigin(actorId: string, base: URL): boolean {
  return URL.canParse(actorId) && new URL(actorId).origin === base.origin;
}

/** The first page has the empty cursor; later ones carry the last row's (created_at, actor_id). */
function encodeCursor(row: FollowerRow): string {
  return `${row.created_at.toISOString()}|${row.actor_id}`;
}

function decodeCursor(cursor: string): { createdAt: Date; actorId: string } | undefined {
  const separator = cursor.indexOf("|");
  if (separator < 0) return undefined;
  const createdAt = new Date(cursor.slice(0, separator));
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, actorId: cursor.slice(separator + 1) };
}
