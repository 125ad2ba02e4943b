// Moderation steps write and queue their Accept or Reject in one transaction: when the queue
// refuses (a trigger here), approving, refusing, removing and blocking change nothing, and the
// owner gets the page again saying so, with a 503, never a bare 500.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const ALICE = "http://peer.test/users/alice";
const BOB = "http://peer.test/users/bob";
const CAROL = "http://spam.test/users/carol";

for (const backend of backends()) {
  describe(`moderation in one transaction (${backend})`, { timeout: 120_000 }, () => {
    let glose: TestGlose;
    let admin: AdminClient;
    let replyId: string;
    before(async () => {
      glose = await startTestGlose(backend);
      admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const postId = await admin.publish({ url: "https://example.org/a", title: "Un lien" });
      const db = glose.database.db;
      const follower = (actorId: string, status: "accepted" | "pending") => ({
        actor_id: actorId,
        follow_id: `${actorId}#follows/1`,
        inbox_url: `${actorId}/inbox`,
        shared_inbox_url: null,
        handle: `@${actorId.split("/").at(-1)}@${new URL(actorId).host}`,
        status,
      });
      await db.insertInto("followers").values([follower(ALICE, "pending"), follower(BOB, "accepted"), follower(CAROL, "accepted")]).execute();
      replyId = `${CAROL}/statuses/1`;
      await db
        .insertInto("replies")
        .values({ id: replyId, post_id: postId, in_reply_to: `${glose.origin}/p/${postId}`, actor_id: CAROL, content_html: "<p>Spam</p>", public: true, published_at: new Date() })
        .execute();
    });
    after(async () => {
      await glose?.destroy();
    });

    const snapshot = async () => {
      const db = glose.database.db;
      return {
        followers: await db.selectFrom("followers").select(["actor_id", "status"]).orderBy("actor_id").execute(),
        blocks: await db.selectFrom("blocks").select(["kind", "value"]).execute(),
        hidden: await db.selectFrom("replies").select("hidden").where("id", "=", replyId).executeTakeFirst(),
        answers: (await sql<{ n: number }>`select count(*)::int as n from fedify_queue where message::text ~ '(Accept|Reject)'`.execute(db)).rows[0]!.n,
      };
    };

    const steps: [string, Record<string, string>][] = [
      ["/admin/followers/approve", { actor: ALICE }],
      ["/admin/followers/reject", { actor: ALICE }],
      ["/admin/followers/reject", { actor: BOB }],
      ["/admin/blocks/actor", { actor: BOB }],
      ["/admin/blocks/domain", { domain: "spam.test" }],
      ["/admin/blocks/actor-of-reply", { reply: "" }],
    ];

    it("changes nothing and says so when the answer cannot be queued", async () => {
      const db = glose.database.db;
      await sql`create or replace function refuse_queue() returns trigger language plpgsql as $$ begin raise exception 'the queue broke'; end $$`.execute(db);
      await sql`create trigger refuse_queue before insert on fedify_queue for each row execute function refuse_queue()`.execute(db);
      try {
        const before = await snapshot();
        for (const [path, fields] of steps) {
          const response = await admin.submit(path, { ...fields, ...(fields.reply === "" ? { reply: replyId } : {}) });
          assert.equal(response.status, 503, path);
          assert.match(await response.text(), /Nothing was changed: the answer to their server could not be queued/, path);
          assert.deepEqual(await snapshot(), before, path);
        }
        const french = await admin.submit("/admin/blocks/domain", { domain: "spam.test" }, { "Accept-Language": "fr" });
        assert.equal(french.status, 503);
        assert.match(await french.text(), /Rien n’a changé : la réponse à leur serveur n’a pas pu être mise en file d’attente/);
        assert.deepEqual(await snapshot(), before);
      } finally {
        await sql`drop trigger refuse_queue on fedify_queue`.execute(db);
      }
    });

    it("writes and queues together once the queue works", async () => {
      const approved = await admin.submit("/admin/followers/approve", { actor: ALICE });
      assert.equal(approved.status, 303);
      const blocked = await admin.submit("/admin/blocks/domain", { domain: "spam.test" });
      assert.equal(blocked.status, 303);
      const after = await snapshot();
      assert.deepEqual(after.followers, [
        { actor_id: ALICE, status: "accepted" },
        { actor_id: BOB, status: "accepted" },
      ]);
      assert.deepEqual(after.blocks, [{ kind: "domain", value: "spam.test" }]);
      assert.equal(after.hidden?.hidden, true);
    });
  });
}
