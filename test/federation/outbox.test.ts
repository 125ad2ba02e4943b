// The outbox: Create activities of public and unlisted posts, newest first, paged; each
// activity id dereferenceable; pinned posts in featured.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";

// The outbox lists what is stored; sending is tested in publishing.test.ts.
const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

for (const backend of backends()) {
  describe(`outbox (${backend})`, () => {
    let glose: TestGlose;
    const ids: string[] = [];
    before(async () => {
      glose = await startTestGlose(backend);
      const deps = { db: glose.database.db, federation: unsent };
      const start = Date.parse("2026-01-01T00:00:00Z");
      for (let i = 0; i < 45; i++) {
        const result = await createPost(deps, {
          url: `https://example.org/${i}`,
          title: `Post ${i}`,
          visibility: i % 10 === 3 ? "unlisted" : "public",
          // Some posts share a date, so ties must be broken the same way on every page.
          publishedAt: new Date(start + Math.floor(i / 3) * 60_000),
          pinned: i === 7,
        });
        assert.ok(result.ok);
        ids.push(result.post.id);
      }
      for (const visibility of ["private", "followers"] as const) {
        assert.ok((await createPost(deps, { title: visibility, visibility })).ok);
      }
    });
    after(() => glose.destroy());

    const get = async (url: string) => {
      const response = await fetch(url, { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(response.status, 200, url);
      return (await response.json()) as any;
    };

    it("gives three pages, newest first, never repeating", async () => {
      const outbox = await get(`${glose.origin}/users/${OWNER}/outbox`);
      assert.equal(outbox.totalItems, 45);
      const pages: any[][] = [];
      let next: string | undefined = outbox.first;
      while (next !== undefined) {
        const page = await get(next);
        pages.push(page.orderedItems);
        next = page.next;
      }
      assert.deepEqual(pages.map((page) => page.length), [20, 20, 5]);
      const items = pages.flat();
      const noteIds = items.map((item) => item.object.id);
      assert.equal(new Set(noteIds).size, 45);
      const published = items.map((item) => Date.parse(item.object.published));
      assert.deepEqual(published, [...published].sort((a, b) => b - a));
      for (const item of items) assert.equal(item.type, "Create");
      assert.ok(!items.some((item) => /private|followers/.test(item.object.content)));
    });

    it("serves each activity at its id", async () => {
      const outbox = await get(`${glose.origin}/users/${OWNER}/outbox`);
      const first = (await get(outbox.first)).orderedItems[0];
      const activity = await get(first.id);
      assert.equal(activity.id, first.id);
      assert.equal(activity.type, "Create");
      assert.equal(activity.object.id, first.object.id);
    });

    it("lists pinned posts in featured", async () => {
      const featured = await get(`${glose.origin}/users/${OWNER}/featured`);
      const items = featured.orderedItems ?? featured.items ?? [];
      assert.equal(items.length, 1);
      assert.equal(items[0].id, `${glose.origin}/p/${ids[7]}`);
    });
  });
}
