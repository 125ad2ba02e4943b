// A queue worker in a process of its own, for tests that kill one mid-job. It works on the
// PostgreSQL database at DATABASE_URL, with a lease of LEASE_SECONDS if set (else the default);
// its handler prints "started <message>" and then never finishes.
import { openDatabase } from "../../src/data/client.ts";
import { GloseMessageQueue } from "../../src/federation/message-queue.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const database = await openDatabase({ url, dataDir: null });
const queue = new GloseMessageQueue(database, {
  leaseSeconds: process.env.LEASE_SECONDS ? Number(process.env.LEASE_SECONDS) : undefined,
  pollIntervalMs: 100,
  workerId: "killed-worker",
});
await queue.listen(async (message: unknown) => {
  process.stdout.write(`started ${JSON.stringify(message)}\n`);
  await new Promise(() => {});
});
