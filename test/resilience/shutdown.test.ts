// Stopping on SIGTERM or SIGINT: a failure while stopping is logged, and the process still exits,
// with 1; a clean stop exits with 0; a client holding a request open does not hold the stop.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { configure, reset, type LogRecord } from "@logtape/logtape";
import { stopGlose } from "../../src/server.ts";
import { createTestDatabaseEnv } from "../helpers/database.ts";
import { startTestGlose } from "../helpers/glose.ts";
import { ownerEnv, startGloseProcess } from "../helpers/processes.ts";

describe("stopping Glose", { timeout: 60_000 }, () => {
  const records: LogRecord[] = [];
  before(async () => {
    await configure({
      reset: true,
      sinks: { memory: (record) => void records.push(record) },
      loggers: [
        { category: "glose", lowestLevel: "error", sinks: ["memory"] },
        { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
      ],
    });
  });
  after(() => reset());

  it("logs a failure to stop and answers exit code 1", async () => {
    const code = await stopGlose({
      stop: async () => {
        throw new Error("the database would not close");
      },
    });
    assert.equal(code, 1);
    const logged = records.find((record) => String(record.properties.error).includes("the database would not close"));
    assert.ok(logged, "the failure was logged");
    assert.equal(logged.level, "error");
  });

  it("answers exit code 0 after a clean stop", async () => {
    assert.equal(await stopGlose({ stop: async () => {} }), 0);
  });

  it("stops within seconds while a client holds a request open", async () => {
    const glose = await startTestGlose("pglite");
    const socket = connect(glose.port!, "127.0.0.1");
    await once(socket, "connect");
    // Headers, then less of the body than announced, and nothing more.
    socket.write("POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\npassword=");
    const closed = once(socket, "close");
    socket.on("error", () => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    await glose.destroy();
    const ms = performance.now() - started;
    assert.ok(ms < 15_000, `stopping took ${Math.round(ms)} ms`);
    await closed;
  });

  it("exits with 0 on SIGTERM, as a real process", async () => {
    const database = await createTestDatabaseEnv("pglite");
    try {
      const glose = await startGloseProcess(await ownerEnv(database.env));
      assert.equal(await glose.stop(), 0);
    } finally {
      await database.drop();
    }
  });
});
