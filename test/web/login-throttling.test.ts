// Password guessing over real HTTP: attempts are counted before the password is checked (so
// parallel guesses cannot slip through), per address (the proxy's client address only when
// TRUST_PROXY says so), per known device (so the owner is never locked out by others), and all
// together for browsers the owner never logged in from.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { sql } from "kysely";
import { FREE_ANONYMOUS_ATTEMPTS, FREE_ATTEMPTS } from "../../src/services/auth.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

/** A login attempt from a client whose proxy says it comes from `address`. */
async function attempt(client: AdminClient, password: string, forwardedFor?: string): Promise<number> {
  if (client.csrf === "") await (await client.request("/admin")).body?.cancel();
  const response = await client.request("/admin/login", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: client.origin,
      ...(forwardedFor === undefined ? {} : { "X-Forwarded-For": forwardedFor }),
    },
    body: new URLSearchParams({ _csrf: client.csrf, password }),
  });
  await response.body?.cancel();
  return response.status;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

for (const backend of backends()) {
  describe(`login throttling behind no proxy (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend);
    });
    after(async () => await glose.destroy());
    beforeEach(async () => await sql`delete from login_failures`.execute(glose.database.db));

    it("checks only the free attempts of 40 concurrent guesses from a fresh address", async () => {
      const clients = Array.from({ length: 40 }, () => new AdminClient(glose.origin));
      const started = performance.now();
      const statuses = await Promise.all(clients.map((client, i) => attempt(client, `guess ${i}`)));
      // After the free attempts, one more is allowed after 2 s, then 4 s, 8 s…: a loaded machine
      // that takes seconds to answer the 40 lets those through, and no more.
      const seconds = (performance.now() - started) / 1000;
      const delayed = Math.floor(Math.log2(seconds / 2 + 1));
      const checked = count(statuses, 401);
      assert.ok(checked >= FREE_ATTEMPTS && checked <= FREE_ATTEMPTS + delayed, `${checked} checked in ${seconds.toFixed(1)} s: ${statuses.join(" ")}`);
      assert.equal(count(statuses, 429), 40 - checked);
    });

    it("ignores X-Forwarded-For when not told to trust a proxy", async () => {
      const client = new AdminClient(glose.origin);
      const statuses = [];
      for (let i = 0; i < FREE_ATTEMPTS + 1; i++) statuses.push(await attempt(client, `guess ${i}`, `198.51.100.${i}`));
      assert.deepEqual(statuses.slice(-1), [429]);
    });

    it("lets the owner's known browser in while guesses from the same address are refused", async () => {
      const owner = new AdminClient(glose.origin);
      assert.equal(await attempt(owner, OWNER_PASSWORD), 303);
      const attacker = new AdminClient(glose.origin);
      for (let i = 0; i < FREE_ATTEMPTS; i++) assert.equal(await attempt(attacker, `guess ${i}`), 401);
      assert.equal(await attempt(attacker, OWNER_PASSWORD), 429);
      assert.equal(await attempt(owner, OWNER_PASSWORD), 303);
      // The device is throttled on its own too.
      for (let i = 0; i < FREE_ATTEMPTS; i++) assert.equal(await attempt(owner, `typo ${i}`), 401);
      assert.equal(await attempt(owner, OWNER_PASSWORD), 429);
    });
  });

  describe(`login throttling behind a trusted proxy (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend, { TRUST_PROXY: "true" });
    });
    after(async () => await glose.destroy());
    beforeEach(async () => await sql`delete from login_failures`.execute(glose.database.db));

    it("throttles each client address the proxy reports, taking the entry the proxy appended", async () => {
      const attacker = new AdminClient(glose.origin);
      for (let i = 0; i < FREE_ATTEMPTS; i++) assert.equal(await attempt(attacker, `guess ${i}`, "203.0.113.9"), 401);
      // A forged first entry does not get the attacker a fresh allowance.
      assert.equal(await attempt(attacker, "guess", "198.51.100.7, 203.0.113.9"), 429);
      assert.equal(await attempt(new AdminClient(glose.origin), OWNER_PASSWORD, "198.51.100.7"), 303);
    });

    it("refuses guessing spread over many addresses once the shared allowance is spent", async () => {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => attempt(new AdminClient(glose.origin), `guess ${i}`, `203.0.113.${i}`)),
      );
      assert.deepEqual(new Set(statuses), new Set([401]), "each address has its own allowance");
      // The shared allowance spent (counted as the concurrent test above counts), a new address waits…
      await sql`update login_failures set failures = ${FREE_ANONYMOUS_ATTEMPTS}, last_failure_at = now() where address = 'anonymous'`.execute(glose.database.db);
      assert.equal(await attempt(new AdminClient(glose.origin), OWNER_PASSWORD, "192.0.2.1"), 429);
      // …but not the owner's known browser.
      await sql`delete from login_failures`.execute(glose.database.db);
      const owner = new AdminClient(glose.origin);
      assert.equal(await attempt(owner, OWNER_PASSWORD, "192.0.2.2"), 303);
      await sql`update login_failures set failures = ${FREE_ANONYMOUS_ATTEMPTS}, last_failure_at = now() where address = 'anonymous'`.execute(glose.database.db);
      assert.equal(await attempt(owner, OWNER_PASSWORD, "192.0.2.2"), 303);
    });
  });
}
