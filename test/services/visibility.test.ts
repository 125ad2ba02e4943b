// The visibility rule alone: every visibility against every kind of viewer, and what each
// listing shows.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Visibility } from "../../db/schema.ts";
import { ANONYMOUS, isFederated, listedVisibilities, maySee, OWNER, webViewer, type Viewer } from "../../src/services/visibility.ts";

const FOLLOWER: Viewer = { kind: "server", origin: "https://peer.test", followed: true };
const STRANGER: Viewer = { kind: "server", origin: "https://stranger.test", followed: false };

describe("who may see a post", () => {
  const table: [Visibility, Record<string, boolean>][] = [
    ["public", { owner: true, follower: true, stranger: true, anonymous: true }],
    ["unlisted", { owner: true, follower: true, stranger: true, anonymous: true }],
    ["followers", { owner: true, follower: true, stranger: false, anonymous: false }],
    ["private", { owner: true, follower: false, stranger: false, anonymous: false }],
  ];
  const viewers: Record<string, Viewer> = { owner: OWNER, follower: FOLLOWER, stranger: STRANGER, anonymous: ANONYMOUS };
  for (const [visibility, expected] of table) {
    it(`${visibility}: ${Object.entries(expected).map(([name, sees]) => `${name} ${sees ? "sees" : "does not"}`).join(", ")}`, () => {
      for (const [name, viewer] of Object.entries(viewers)) {
        assert.equal(maySee({ visibility }, viewer), expected[name], `${visibility} for ${name}`);
      }
    });
  }

  it("has a Note for every post but a private one", () => {
    assert.deepEqual(
      (["public", "unlisted", "followers", "private"] as const).filter((visibility) => isFederated({ visibility })),
      ["public", "unlisted", "followers"],
    );
  });

  it("tells the owner from anyone else on web pages", () => {
    assert.deepEqual(webViewer(true), OWNER);
    assert.deepEqual(webViewer(false), ANONYMOUS);
  });
});

describe("what each listing shows", () => {
  it("lists on the blog's pages what the viewer may see, unlisted posts included", () => {
    assert.deepEqual(listedVisibilities(ANONYMOUS, "blog"), ["public", "unlisted"]);
    assert.deepEqual(listedVisibilities(OWNER, "blog"), ["public", "unlisted", "followers", "private"]);
  });

  it("lists only public posts in feeds, the owner's included", () => {
    assert.deepEqual(listedVisibilities(ANONYMOUS, "feed"), ["public"]);
    assert.deepEqual(listedVisibilities(OWNER, "feed"), ["public"]);
    assert.deepEqual(listedVisibilities(FOLLOWER, "feed"), ["public"]);
  });

  it("lists followers-only posts in the outbox to a follower's server and the owner, private posts to nobody", () => {
    assert.deepEqual(listedVisibilities(ANONYMOUS, "federation"), ["public", "unlisted"]);
    assert.deepEqual(listedVisibilities(STRANGER, "federation"), ["public", "unlisted"]);
    assert.deepEqual(listedVisibilities(FOLLOWER, "federation"), ["public", "unlisted", "followers"]);
    assert.deepEqual(listedVisibilities(OWNER, "federation"), ["public", "unlisted", "followers"]);
  });
});
