// Followers are taken to come with a move only for a while after it was seen: a move's followers
// arrive within hours, and who follows weeks later came on their own. (The move itself, proven
// by the former account's movedTo, is tested end to end in test/network/moving.test.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Context } from "@fedify/fedify";
import type { AccountRow } from "../../src/data/account.ts";
import type { GloseContext } from "../../src/federation/context.ts";
import { MOVE_WINDOW_MS, movedFrom } from "../../src/federation/moved-followers.ts";

const OLD = "https://mastodon.example/users/owner";
const movedAt = new Date("2026-11-01T12:00:00Z");
const account = { also_known_as: [OLD], moved_in_from: [OLD], moved_in_at: movedAt } as unknown as AccountRow;
// A recorded move needs no fetch: a context that cannot fetch proves it.
const noFetch = {} as Context<GloseContext>;

describe("followers arriving after a move", () => {
  it("come with the move while it is recent", async () => {
    assert.equal(await movedFrom(noFetch, account, new Date(movedAt.getTime() + 3600_000)), OLD);
    assert.equal(await movedFrom(noFetch, account, new Date(movedAt.getTime() + MOVE_WINDOW_MS)), OLD);
  });

  it("came on their own once the move is long past", async () => {
    assert.equal(await movedFrom(noFetch, account, new Date(movedAt.getTime() + MOVE_WINDOW_MS + 1000)), null);
  });
});
