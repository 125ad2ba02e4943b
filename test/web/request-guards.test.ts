// Malformed requests get a 400 that says why, never a 500: control characters in the address,
// activities nested deeper than any real one.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { jsonDepth, MAX_JSON_DEPTH } from "../../src/web/request-guards.ts";
import { backends } from "../helpers/database.ts";
import { OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";

describe("jsonDepth", () => {
  it("counts nesting outside strings", () => {
    assert.equal(jsonDepth("1"), 0);
    assert.equal(jsonDepth('{"a":[1,{"b":2}]}'), 3);
    assert.equal(jsonDepth('{"a":"[[[{{{\\"]]]"}'), 1);
  });
});

for (const backend of backends()) {
  describe(`malformed requests (${backend})`, () => {
    let glose: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend);
    });
    after(async () => await glose.destroy());

    it("refuses control characters in the address on every kind of page", async () => {
      for (const path of ["/search?q=%00", "/search?q=a%00b", "/tags/a%00b", "/tags/%00/feed.atom", "/search/feed.atom?q=%00", "/p/%00", "/daily/%01", `/users/${OWNER}/outbox?cursor=%00`, "/search?q=%E0%A4%A"]) {
        for (const accept of ["text/html", "application/activity+json"]) {
          const response = await fetch(`${glose.origin}${path}`, { headers: { Accept: accept } });
          assert.equal(response.status, 400, `${path} (${accept})`);
          assert.match(await response.text(), /^Bad request: /);
        }
      }
      const fine = await fetch(`${glose.origin}/search?q=caf%C3%A9+cr%C3%A8me`);
      assert.equal(fine.status, 200);
      await fine.body?.cancel();
    });

    it("answers dates and cursors far outside any calendar without a server error", async () => {
      for (const path of [
        "/daily/99999-01-01",
        "/daily/275760-09-14",
        "/daily/2026-13-45",
        "/?before=99999999999999999",
        "/?before=9999-12-31T00:00:00Z",
        "/?before=abc",
        "/tags/x?before=%2B275760-09-13T00:00:00.000Z",
        `/users/${OWNER}/outbox?cursor=99999999999999`,
        `/users/${OWNER}/outbox?cursor=%2B999999-01-01T00:00:00.000Z`,
        `/users/${OWNER}/followers?cursor=%2B999999-01-01T00:00:00.000Z|x`,
      ]) {
        for (const accept of ["text/html", "application/activity+json"]) {
          const response = await fetch(`${glose.origin}${path}`, { headers: { Accept: accept } });
          assert.ok(response.status < 500, `${path} (${accept}): ${response.status}`);
          await response.body?.cancel();
        }
      }
    });

    it("refuses an activity nested past the limit, and stays up", async () => {
      const nested = (depth: number) =>
        `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","actor":"https://x.example/u","object":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
      for (const depth of [MAX_JSON_DEPTH, 1000, 100_000]) {
        const response = await fetch(`${glose.origin}/inbox`, {
          method: "POST",
          headers: { "Content-Type": "application/activity+json" },
          body: nested(depth),
        });
        assert.equal(response.status, 400, `depth ${depth}`);
        assert.match(await response.text(), /nested more than 64 levels/);
      }
      // Within the limit, the request goes on to the signature check.
      const shallow = await fetch(`${glose.origin}/users/${OWNER}/inbox`, {
        method: "POST",
        headers: { "Content-Type": "application/activity+json" },
        body: nested(10),
      });
      assert.equal(shallow.status, 401);
      await shallow.body?.cancel();
      assert.equal((await fetch(`${glose.origin}/healthz`)).status, 200);
    });
  });
}
