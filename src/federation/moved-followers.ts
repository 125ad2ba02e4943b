// Followers who come with the owner's move from a former account. Mastodon moves them by making
// each one send a plain Follow to the new account, which says nothing of the move; what proves it
// is the former account's own `movedTo` naming this blog, never anything the follower says. That
// account is fetched once per move (followers arriving together wait for the same fetch), then the
// move is remembered in the account row; one that has not moved is asked again after a few seconds
// at the most, so that a move's first followers are not missed.
import type { Context } from "@fedify/fedify";
import { isActor } from "@fedify/vocab";
import type { AccountRow } from "../data/account.ts";
import { recordMoveIn } from "../services/moving.ts";
import type { GloseContext } from "./context.ts";
import { describeActor } from "./remote.ts";

const NOT_MOVED_FOR_MS = 10_000;
/** How long after a move was first seen new followers are taken to come with it. */
export const MOVE_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** Per former account not seen to have moved: the last check (under way or done), and when it began. */
const checks = new Map<string, { moved: Promise<boolean>; at: number }>();

/** The owner's former account whose move a new follower comes with, or null. Free without aliases. */
export async function movedFrom(ctx: Context<GloseContext>, account: AccountRow, now = new Date()): Promise<string | null> {
  const known = account.also_known_as.find((alias) => account.moved_in_from.includes(alias));
  // A move's followers arrive within hours; who comes long after it came on their own.
  if (known !== undefined) return now.getTime() - (account.moved_in_at?.getTime() ?? 0) <= MOVE_WINDOW_MS ? known : null;
  for (const alias of account.also_known_as) {
    if (await hasMovedHere(ctx, account, alias)) return alias;
  }
  return null;
}

function hasMovedHere(ctx: Context<GloseContext>, account: AccountRow, alias: string): Promise<boolean> {
  const self = ctx.getActorUri(account.username).href;
  const key = `${self} ${alias}`;
  const check = checks.get(key);
  // Followers arriving together share one fetch, and so do those of the next few seconds.
  if (check !== undefined && Date.now() - check.at < NOT_MOVED_FOR_MS) return check.moved;
  const moved = fetchMovedHere(ctx, account.username, alias, self);
  checks.set(key, { moved, at: Date.now() });
  // A move once seen is in the account row; a database failure is no answer.
  moved.then((seen) => seen && checks.delete(key), () => checks.delete(key));
  return moved;
}

async function fetchMovedHere(ctx: Context<GloseContext>, identifier: string, alias: string, self: string): Promise<boolean> {
  // Signed (servers in secure mode) and never from the cache: the move may have begun a second ago.
  const documentLoader = await ctx.getDocumentLoader({ identifier });
  const old = await ctx.lookupObject(alias, { documentLoader, signal: AbortSignal.timeout(10_000) }).catch(() => null);
  if (old === null || !isActor(old) || old.id?.href !== alias || old.successorId?.href !== self) return false;
  await recordMoveIn(ctx.data.db, await describeActor(ctx, old));
  return true;
}
