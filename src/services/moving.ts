// Account moves. In: the owner's old account is listed as an alias (alsoKnownAs), so that its
// server accepts to move its followers here; once it names this blog as its successor, followers
// who arrive are noted as moved from it. Out: the new account must list this one, then the
// actor names its successor (movedTo) and every follower is sent a Move.
import { addMovedInFrom, getAccount, updateAccount } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import type { MoveFederation } from "../federation/moving.ts";
import { rememberActor, type RemoteActor } from "./conversations.ts";

export interface MovingDeps {
  readonly db: Db;
  readonly federation: MoveFederation;
  /** Sends the updated actor to followers. */
  readonly profileChanged: () => Promise<void>;
}

export type MoveError = "not-found" | "not-aliased" | "self" | "no-account";
export type MoveResult = { ok: true; id: string } | { ok: false; error: MoveError };

/** Lists the old account as an alias of the owner's. */
export async function addAlias(deps: MovingDeps, handle: string): Promise<MoveResult> {
  const account = await getAccount(deps.db);
  if (account === undefined) return { ok: false, error: "no-account" };
  const old = await deps.federation.lookUp(handle);
  if (old === null) return { ok: false, error: "not-found" };
  if (old.id === (await deps.federation.ownActorId())) return { ok: false, error: "self" };
  if (!account.also_known_as.includes(old.id)) {
    await updateAccount(deps.db, { also_known_as: [...account.also_known_as, old.id] });
    await deps.profileChanged();
  }
  return { ok: true, id: old.id };
}

export async function removeAlias(deps: MovingDeps, id: string): Promise<void> {
  const account = await getAccount(deps.db);
  if (account === undefined || !account.also_known_as.includes(id)) return;
  await updateAccount(deps.db, {
    also_known_as: account.also_known_as.filter((alias) => alias !== id),
    moved_in_from: account.moved_in_from.filter((alias) => alias !== id),
  });
  await deps.profileChanged();
}

/**
 * The former account `old` names this blog as its successor (`movedTo`): its move has begun, and
 * the followers arriving from now on came with it.
 */
export async function recordMoveIn(db: Db, old: RemoteActor): Promise<void> {
  await rememberActor(db, old);
  await addMovedInFrom(db, old.id);
}

/** Moves the blog's followers to a new account, which must already list this one as an alias. */
export async function moveAway(deps: MovingDeps, handle: string): Promise<MoveResult> {
  const account = await getAccount(deps.db);
  if (account === undefined) return { ok: false, error: "no-account" };
  const target = await deps.federation.lookUp(handle);
  if (target === null) return { ok: false, error: "not-found" };
  const self = await deps.federation.ownActorId();
  if (target.id === self) return { ok: false, error: "self" };
  // Mastodon refuses a Move whose target does not name the old account: check it first.
  if (!target.aliases.includes(self)) return { ok: false, error: "not-aliased" };
  await updateAccount(deps.db, { moved_to: target.id });
  await deps.profileChanged();
  await deps.federation.sendMove(target.id);
  return { ok: true, id: target.id };
}
