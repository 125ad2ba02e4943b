// Blocks hold at both ends of the queue: an activity from a blocked server is dropped as it
// arrives, and one that was queued before the block is refused when the worker takes it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "kysely";
import { AdminClient } from "../helpers/admin-client.ts";
import { openDatabase } from "../../src/data/client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { ownerEnv, startGloseProcess, startPeer, startWorkerProcess, waitFor, type RunningProcess } from "../helpers/processes.ts";
import { mastodonPeer } from "../fixtures/mastodon.ts";

for (const backend of backends()) {
  describe(`activities from a blocked server, as they arrive (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend);
      await glose.database.db.insertInto("blocks").values({ kind: "domain", value: "blocked.example" }).execute();
    });
    after(async () => await glose.destroy());

    const post = (actor: string) =>
      fetch(`${glose.origin}/users/${OWNER}/inbox`, {
        method: "POST",
        headers: { "Content-Type": "application/activity+json" },
        body: JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id: `${actor}#like`, type: "Like", actor, object: `${glose.origin}/` }),
      });

    it("drops them before anything else, with the usual 202", async () => {
      // Unsigned on purpose: dropped before the signature is even looked at…
      const blocked = await post("https://blocked.example/users/x");
      assert.equal(blocked.status, 202);
      // …while anyone else's unsigned activity is refused by the signature check.
      const other = await post("https://other.example/users/x");
      assert.equal(other.status, 401);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from fedify_queue`.execute(glose.database.db);
      assert.equal(rows[0]?.n, 0);
    });
  });
}

// Roles apart need PostgreSQL: a web process queues, a worker started later processes.
if (backends().includes("postgres")) {
  describe("an activity queued before its sender was blocked (postgres)", () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let peer: Awaited<ReturnType<typeof startPeer>>;
    let web: RunningProcess;
    let worker: RunningProcess | undefined;
    let env: Record<string, string>;
    before(async () => {
      database = await createTestDatabaseEnv("postgres");
      peer = await startPeer("127.0.0.3");
      env = await ownerEnv(database.env);
      web = await startGloseProcess({ ...env, ROLE: "web" });
    });
    after(async () => {
      await worker?.stop();
      await web?.stop();
      await peer?.stop();
      await database?.drop();
    });

    it("is refused when the worker takes it", async () => {
      const origin = env.ORIGIN!;
      const admin = new AdminClient(origin);
      await admin.logIn(OWNER_PASSWORD);
      const postUrl = `${origin}/p/${await admin.publish({ url: "https://example.org/b", title: "Un lien", comment: "Avis." })}`;
      const like = mastodonPeer(peer.origin).like(postUrl);
      const sent = await fetch(`${peer.origin}/control/send`, { method: "POST", body: JSON.stringify({ inbox: `${origin}/inbox`, activity: like }) });
      assert.equal(((await sent.json()) as { status: number }).status, 202);
      assert.equal((await admin.submit("/admin/blocks/domain", { domain: "127.0.0.3" })).status, 303);
      worker = await startWorkerProcess(env);
      const queued = await openDatabase({ url: env.DATABASE_URL!, dataDir: "" });
      try {
        await waitFor("the queue to empty", async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from fedify_queue`.execute(queued.db);
          return rows[0]?.n === 0 ? true : undefined;
        });
      } finally {
        await queued.close();
      }
      const likes = (await (await fetch(`${postUrl}/likes`, { headers: { Accept: ACTIVITY_JSON } })).json()) as { totalItems: number };
      assert.equal(likes.totalItems, 0);
    });
  });
}
