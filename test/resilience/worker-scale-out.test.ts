// Scale-out: one web process and two worker processes on one PostgreSQL. A post to 60 servers
// (each checking the HTTP signature) reaches every inbox exactly once, and both workers deliver.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { exportJwk } from "@fedify/fedify";
import { openDatabase } from "../../src/data/client.ts";
import { loadKeyPairs } from "../../src/federation/keys.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { createTestDatabaseEnv } from "../helpers/database.ts";
import { startInboxFarm, type InboxFarm } from "../helpers/inbox-farm.ts";
import { OWNER, OWNER_PASSWORD, ownerEnv, startGloseProcess, startWorkerProcess, waitFor, type RunningProcess } from "../helpers/processes.ts";

const SERVERS = 60;
const skip = process.env.TEST_DATABASE_URL ? false : "TEST_DATABASE_URL is not set: several processes need PostgreSQL";

describe("two worker processes on one PostgreSQL", { skip, timeout: 90_000 }, () => {
  let drop: () => Promise<void>;
  let farm: InboxFarm | undefined;
  const processes: RunningProcess[] = [];

  before(async () => {
    const database = await createTestDatabaseEnv("postgres");
    drop = database.drop;
    const env = await ownerEnv(database.env);
    processes.push(await startGloseProcess({ ...env, ROLE: "web" }));
    const db = await openDatabase({ url: env.DATABASE_URL!, dataDir: null });
    try {
      const [rsa] = await loadKeyPairs(db.db);
      farm = await startInboxFarm({ count: SERVERS, delayMs: 30, key: { keyId: `${env.ORIGIN}/users/${OWNER}#main-key`, jwk: await exportJwk(rsa!.publicKey) } });
      await db.db
        .insertInto("followers")
        .values(farm.origins.map((origin, n) => ({ actor_id: `${origin}/users/u`, follow_id: `${origin}/follows/1`, inbox_url: `${origin}/users/u/inbox`, shared_inbox_url: `${origin}/inbox`, handle: `@u@server${n}.test` })))
        .execute();
    } finally {
      await db.close();
    }
    // At debug, Fedify logs each delivery it sends: how the test tells the workers' shares.
    const workerEnv = { ...env, LOG_LEVEL: "debug" };
    processes.push(await startWorkerProcess(workerEnv), await startWorkerProcess(workerEnv));
  });
  after(async () => {
    for (const process of processes) await process.stop();
    await farm?.stop();
    await drop?.();
  });

  it("delivers a post to every inbox exactly once, spread over both workers", async () => {
    const [web, ...workers] = processes;
    const admin = new AdminClient(web!.origin);
    await admin.logIn(OWNER_PASSWORD);
    const id = await admin.publish({ url: "https://example.org/scale-out", title: "Scale-out", comment: "Two workers." });
    const note = `${web!.origin}/p/${id}`;
    const creates = async () => (await farm!.received()).filter((delivery) => delivery.type === "Create" && delivery.object === note);
    await waitFor("every inbox", async () => (new Set((await creates()).map((d) => d.server)).size === SERVERS ? true : undefined), 60_000);
    // Anything sent twice would arrive within the time the first round took.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const deliveries = await creates();
    assert.deepEqual(deliveries.filter((delivery) => delivery.status !== 202), [], "every signature verified");
    assert.equal(deliveries.length, SERVERS, "one delivery per inbox");
    const sentBy = workers.map((worker) => worker.output().split("Successfully sent activity").length - 1);
    assert.equal(sentBy[0]! + sentBy[1]!, SERVERS, `deliveries per worker: ${sentBy}`);
    assert.ok(sentBy.every((count) => count > 0), `both workers delivered: ${sentBy}`);
  });
});
