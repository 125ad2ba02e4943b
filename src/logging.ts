// LogTape setup; Fedify logs through it too, under the "fedify" category.
import { AsyncLocalStorage } from "node:async_hooks";
import { configure, getConsoleSink, type LogLevel } from "@logtape/logtape";

export async function setUpLogging(level: LogLevel): Promise<void> {
  // Fedify is chatty at info (every delivery); its warnings and errors are what an owner needs.
  const fedifyLevel: LogLevel = level === "trace" || level === "debug" ? level : "warning";
  await configure({
    reset: true,
    // Fedify attaches request context (trace ids) to its log records through this.
    contextLocalStorage: new AsyncLocalStorage(),
    sinks: { console: getConsoleSink() },
    loggers: [
      { category: "glose", lowestLevel: level, sinks: ["console"] },
      { category: "fedify", lowestLevel: fedifyLevel, sinks: ["console"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
    ],
  });
}
