// Health, readiness and metrics over real HTTP.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { requestKind } from "../../src/web/metrics.ts";
import { backends } from "../helpers/database.ts";
import { startTestGlose, type TestGlose } from "../helpers/glose.ts";

const TOKEN = "a metrics token of some length";

describe("requestKind", () => {
  it("sorts requests into a few kinds", () => {
    assert.equal(requestKind("/users/owner", "application/activity+json"), "federation");
    assert.equal(requestKind("/users/owner/inbox", ""), "inbox");
    assert.equal(requestKind("/p/abc", "text/html"), "page");
    assert.equal(requestKind("/tags/x/feed.atom", ""), "feed");
    assert.equal(requestKind("/.well-known/webfinger", ""), "discovery");
    assert.equal(requestKind("/admin/posts", ""), "admin");
  });
});

for (const backend of backends()) {
  describe(`health and metrics (${backend})`, () => {
    let glose: TestGlose;
    let closed: TestGlose;
    before(async () => {
      glose = await startTestGlose(backend, { METRICS_TOKEN: TOKEN });
      closed = await startTestGlose(backend);
    });
    after(async () => {
      await glose.destroy();
      await closed.destroy();
    });

    it("is ready when the database and the queue answer", async () => {
      const response = await fetch(`${glose.origin}/readyz`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { status: string; queue: { queued: number } };
      assert.equal(body.status, "ready");
      assert.equal(typeof body.queue.queued, "number");
    });

    it("opens the metrics to the token only", async () => {
      assert.equal((await fetch(`${closed.origin}/metrics`)).status, 404);
      assert.equal((await fetch(`${glose.origin}/metrics`)).status, 401);
      assert.equal((await fetch(`${glose.origin}/metrics`, { headers: { Authorization: "Bearer wrong" } })).status, 401);
      await (await fetch(`${glose.origin}/`)).text();
      const response = await fetch(`${glose.origin}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(response.status, 200);
      const text = await response.text();
      assert.match(text, /^glose_http_requests_total\{kind="page",status="2xx"\} [1-9]/m);
      assert.match(text, /^glose_http_request_duration_seconds_count\{kind="page"\} [1-9]/m);
      assert.match(text, /^glose_http_requests_total\{kind="operations",status="4xx"\} [1-9]/m, "refused scrapes are operations, not pages");
      assert.match(text, /^glose_queue_jobs\{state="ready"\} \d+$/m);
      assert.match(text, /^glose_process_resident_memory_bytes \d+$/m);
    });

    it("is not ready once the database is gone, while it still answers /healthz", async () => {
      await closed.database.close();
      const response = await fetch(`${closed.origin}/readyz`);
      assert.equal(response.status, 503);
      assert.equal(((await response.json()) as { status: string }).status, "unavailable");
      assert.equal((await fetch(`${closed.origin}/healthz`)).status, 200);
    });
  });
}
