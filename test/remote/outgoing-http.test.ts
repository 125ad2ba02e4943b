// The agent behind every outgoing request: private addresses refused after DNS (and as literals)
// unless allowed, a server that trickles its answer cut off, an answer over the size cap refused.
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Dispatcher } from "undici";
import { createOutgoingAgent, isPublicAddress } from "../../src/remote/outgoing-http.ts";
import "../helpers/loopback-dns.ts";
import { addLoopbackHost } from "../helpers/loopback-dns.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const failure = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    return cause?.message ?? String(error);
  }
  return "no failure";
};

describe("the outgoing HTTP agent", () => {
  let server: http.Server;
  let port: number;
  before(async () => {
    server = http.createServer((request, response) => {
      if (request.url === "/trickle") {
        response.writeHead(200);
        const timer = setInterval(() => response.write("a"), 100);
        response.on("close", () => clearInterval(timer));
      } else if (request.url === "/big") {
        response.writeHead(200);
        response.end(Buffer.alloc(2 * 1024 * 1024));
      } else {
        response.end("ok");
      }
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
    addLoopbackHost(join(mkdtempSync(join(tmpdir(), "glose-hosts-")), "hosts"), "inside.test", "127.0.0.1");
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const get = (agent: Dispatcher, url: string) =>
    fetch(url, { dispatcher: agent } as RequestInit).then((response) => response.text());

  it("refuses private addresses, literal or behind a name, unless allowed", async () => {
    const guarded = createOutgoingAgent({ allowPrivateAddress: false });
    assert.match(await failure(get(guarded, `http://127.0.0.1:${port}/`)), /127\.0\.0\.1 is not a public address/);
    assert.match(await failure(get(guarded, `http://[::1]:${port}/`)), /::1 is not a public address/);
    assert.match(await failure(get(guarded, `http://inside.test:${port}/`)), /inside\.test resolves to 127\.0\.0\.1/);
    const open = createOutgoingAgent({ allowPrivateAddress: true });
    assert.equal(await get(open, `http://inside.test:${port}/`), "ok");
  });

  it("cuts off an answer that trickles past the deadline", async () => {
    const agent = createOutgoingAgent({ allowPrivateAddress: true, limits: { totalMs: 500 } });
    const started = Date.now();
    assert.match(await failure(get(agent, `http://127.0.0.1:${port}/trickle`)), /no complete answer within 0\.5 s/);
    assert.ok(Date.now() - started < 3000);
  });

  it("refuses an answer over the size cap", async () => {
    const agent = createOutgoingAgent({ allowPrivateAddress: true, limits: { maxResponseBytes: 1024 * 1024 } });
    assert.match(await failure(get(agent, `http://127.0.0.1:${port}/big`)), /exceeded max size/);
  });

  it("knows public from private addresses", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"]) {
      assert.equal(isPublicAddress(address), false, address);
    }
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]) assert.equal(isPublicAddress(address), true, address);
  });
});
