// Link checks against a real server on loopback: what each answer makes of a link, HEAD refused
// then GET, timeouts, connections refused, names gone from DNS, and the private-address guard.
import "../helpers/loopback-dns.ts";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { checkLink } from "../../src/remote/link-check.ts";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const answer = (status: number, headers: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(status, headers);
  res.end(status === 200 ? "<!doctype html><title>ok</title>" : "");
};

describe("checkLink", () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  const routes: Record<string, Route> = {
    "/ok": answer(200),
    "/permanent": answer(301, { location: "/permanent-2" }),
    "/permanent-2": answer(308, { location: "/new-home" }),
    "/new-home": answer(200),
    "/temporary": answer(302, { location: "/ok" }),
    "/permanent-then-temporary": answer(301, { location: "/temporary" }),
    "/missing": answer(404),
    "/gone": answer(410),
    "/broken": answer(500),
    "/moved-away": answer(301, { location: "/missing" }),
    "/no-head": (req, res) => answer(req.method === "HEAD" ? 405 : 200)(req, res),
    "/slow": () => {},
  };

  before(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      (routes[req.url ?? ""] ?? answer(404))(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const check = (path: string, options: { timeoutMs?: number } = {}) =>
    checkLink(`${base}${path}`, { allowPrivateAddress: true, ...options });

  it("finds a page that answers 200 alive, with one HEAD request", async () => {
    requests.length = 0;
    assert.deepEqual(await check("/ok"), { outcome: "alive", httpStatus: 200, movedTo: null, error: null });
    assert.deepEqual(requests, ["HEAD /ok"]);
  });

  it("records where a chain of permanent redirects ends", async () => {
    const result = await check("/permanent");
    assert.equal(result.outcome, "alive");
    assert.equal(result.movedTo, `${base}/new-home`);
  });

  it("does not count a temporary redirect as a move", async () => {
    assert.deepEqual(await check("/temporary"), { outcome: "alive", httpStatus: 200, movedTo: null, error: null });
    // Only the permanent part of a chain is a move.
    assert.equal((await check("/permanent-then-temporary")).movedTo, `${base}/temporary`);
  });

  it("finds 404 and 410 gone, without trying GET", async () => {
    requests.length = 0;
    assert.deepEqual(await check("/missing"), { outcome: "gone", httpStatus: 404, movedTo: null, error: null });
    assert.equal((await check("/gone")).httpStatus, 410);
    assert.equal((await check("/gone")).outcome, "gone");
    assert.equal((await check("/moved-away")).outcome, "gone");
    assert.ok(!requests.some((request) => request.startsWith("GET")), requests.join(", "));
  });

  it("asks with GET when HEAD is refused", async () => {
    requests.length = 0;
    assert.deepEqual(await check("/no-head"), { outcome: "alive", httpStatus: 200, movedTo: null, error: null });
    assert.deepEqual(requests, ["HEAD /no-head", "GET /no-head"]);
  });

  it("counts a server error as a failure, not yet a dead link", async () => {
    assert.deepEqual(await check("/broken"), { outcome: "failed", httpStatus: 500, movedTo: null, error: null });
  });

  it("gives up on a server that does not answer in time", async () => {
    const started = Date.now();
    assert.deepEqual(await check("/slow", { timeoutMs: 300 }), { outcome: "failed", httpStatus: null, movedTo: null, error: "timeout" });
    assert.ok(Date.now() - started < 5_000);
  });

  it("counts a refused connection as a failure", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await checkLink(`http://127.0.0.1:${port}/`, { allowPrivateAddress: true });
    assert.deepEqual(result, { outcome: "failed", httpStatus: null, movedTo: null, error: "ECONNREFUSED" });
  });

  it("finds a name that no longer resolves gone", async () => {
    for (const allowPrivateAddress of [true, false]) {
      const result = await checkLink("http://vanished.test/page", { allowPrivateAddress });
      assert.deepEqual(result, { outcome: "gone", httpStatus: null, movedTo: null, error: "ENOTFOUND" });
    }
  });

  it("refuses loopback addresses without sending a request, unless allowed", async () => {
    requests.length = 0;
    for (const url of [`${base}/ok`, `http://localhost:${new URL(base).port}/ok`]) {
      assert.deepEqual(await checkLink(url, { allowPrivateAddress: false }), {
        outcome: "refused",
        httpStatus: null,
        movedTo: null,
        error: "private-address",
      });
    }
    assert.deepEqual(requests, []);
  });
});
