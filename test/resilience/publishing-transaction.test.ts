// A post and the queuing of its activity are one transaction, through the publishing service with
// Glose's real federation and queue: when queuing fails, even after part of it was written, the
// post is not written (nor edited, nor deleted) and nothing is queued; when it succeeds, both are.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MessageQueueEnqueueOptions } from "@fedify/fedify";
import { parseConfig } from "../../src/config.ts";
import type { Database } from "../../src/data/client.ts";
import { createFederation } from "../../src/federation/index.ts";
import { ensureKeyPairs } from "../../src/federation/keys.ts";
import { GloseKvStore } from "../../src/federation/kv-store.ts";
import { GloseMessageQueue } from "../../src/federation/message-queue.ts";
import { createPostFederation } from "../../src/federation/outbox.ts";
import { createPost, deletePost, editPost, type PublishingDeps } from "../../src/services/publishing.ts";
import { ensureConfiguredAccount } from "../../src/services/setup.ts";
import { backends, createTestDatabase, type BackendName } from "../helpers/database.ts";
import { OWNER, OWNER_PASSWORD } from "../helpers/processes.ts";

/** Glose's queue, whose enqueue fails, while `failing`, after writing its rows. */
class BreakingQueue extends GloseMessageQueue {
  failing = false;

  override async enqueue(message: any, options?: MessageQueueEnqueueOptions): Promise<void> {
    await super.enqueue(message, options);
    if (this.failing) throw new Error("the queue broke");
  }

  override async enqueueMany(messages: readonly any[], options?: MessageQueueEnqueueOptions): Promise<void> {
    await super.enqueueMany(messages, options);
    if (this.failing) throw new Error("the queue broke");
  }
}

async function withPublishing(backend: BackendName, test: (scope: { database: Database; deps: PublishingDeps; queue: BreakingQueue }) => Promise<void>): Promise<void> {
  const database = await createTestDatabase(backend);
  try {
    const config = parseConfig({ ORIGIN: "http://blog.test", ACCOUNT: OWNER, ADMIN_PASSWORD: OWNER_PASSWORD, ...database.env });
    await ensureConfiguredAccount(database.db, config);
    await ensureKeyPairs(database.db);
    await database.db
      .insertInto("followers")
      .values({
        actor_id: "http://peer.test/users/alice",
        follow_id: "http://peer.test/follows/1",
        inbox_url: "http://peer.test/users/alice/inbox",
        shared_inbox_url: "http://peer.test/inbox",
        handle: "@alice@peer.test",
      })
      .execute();
    const queue = new BreakingQueue(database);
    const federation = createFederation({ config, kv: new GloseKvStore(database.db), queue });
    const deps = { db: database.db, federation: createPostFederation(federation, { db: database.db, config }) };
    await test({ database, deps, queue });
  } finally {
    await database.drop();
  }
}

async function state(database: Database) {
  const posts = await database.db.selectFrom("posts").select(["title", "deleted_at", "federated_at"]).execute();
  const jobs = await database.db.selectFrom("fedify_queue").select("message").execute();
  return { posts, jobs: jobs.map((job) => (job.message as { activityType?: string }).activityType) };
}

for (const backend of backends()) {
  describe(`publishing in one transaction (${backend})`, { timeout: 60_000 }, () => {
    it("writes the post and queues its Create together", () =>
      withPublishing(backend, async ({ database, deps }) => {
        const result = await createPost(deps, { title: "Together" });
        assert.ok(result.ok);
        const { posts, jobs } = await state(database);
        assert.equal(posts.length, 1);
        assert.notEqual(posts[0]!.federated_at, null);
        assert.deepEqual(jobs, ["https://www.w3.org/ns/activitystreams#Create"]);
      }));

    it("writes no post when its Create cannot be queued", () =>
      withPublishing(backend, async ({ database, deps, queue }) => {
        queue.failing = true;
        await assert.rejects(createPost(deps, { title: "Never sent, never saved" }), /the queue broke/);
        assert.deepEqual(await state(database), { posts: [], jobs: [] });
      }));

    it("leaves a post as it was when its Update or Delete cannot be queued", () =>
      withPublishing(backend, async ({ database, deps, queue }) => {
        const created = await createPost(deps, { title: "First words" });
        assert.ok(created.ok);
        await database.db.deleteFrom("fedify_queue").execute();
        queue.failing = true;
        await assert.rejects(editPost(deps, created.post.id, { title: "Second thoughts" }), /the queue broke/);
        await assert.rejects(deletePost(deps, created.post.id), /the queue broke/);
        const { posts, jobs } = await state(database);
        assert.deepEqual(
          posts.map((post) => [post.title, post.deleted_at]),
          [["First words", null]],
        );
        assert.deepEqual(jobs, []);
      }));
  });
}
