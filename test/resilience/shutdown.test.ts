// Stopping on SIGTERM or SIGINT: a failure while stopping is logged, and the process still exits,
// with 1; a clean stop exits with 0.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { configure, reset, type LogRecord } from "@logtape/logtape";
import { stopGlose } from "../../src/server.ts";
import { createTestDatabaseEnv } from "../helpers/database.ts";
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
