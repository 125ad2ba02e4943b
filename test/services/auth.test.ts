import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loginDelaySeconds } from "../../src/services/auth.ts";
import { hashPassword, verifyPassword } from "../../src/services/password.ts";

describe("passwords", () => {
  it("are hashed with scrypt and verified", async () => {
    const hash = await hashPassword("correct horse");
    assert.match(hash, /^scrypt\$32768\$8\$1\$/);
    assert.ok(await verifyPassword("correct horse", hash));
    assert.equal(await verifyPassword("correct horsf", hash), false);
    assert.notEqual(await hashPassword("correct horse"), hash, "salted");
    assert.equal(await verifyPassword("x", "not a hash"), false);
  });

  it("normalizes Unicode, so a password typed on another keyboard still matches", async () => {
    const hash = await hashPassword("mot de passe \u00e9t\u00e9");
    assert.ok(await verifyPassword("mot de passe e\u0301te\u0301", hash));
  });
});

describe("login throttling", () => {
  const at = new Date("2026-01-01T00:00:00Z");
  const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
  it("lets five failures through, then makes each next try wait longer", () => {
    assert.equal(loginDelaySeconds(4, at, 5, at), 0);
    assert.equal(loginDelaySeconds(5, at, 5, at), 2);
    assert.equal(loginDelaySeconds(6, at, 5, at), 4);
    assert.equal(loginDelaySeconds(10, at, 5, at), 64);
    assert.equal(loginDelaySeconds(5, at, 5, later(2)), 0);
    assert.equal(loginDelaySeconds(40, at, 5, at), 15 * 60);
  });
});
