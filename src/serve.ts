// The only module with effects: configuration, logging, then Glose, until SIGTERM or SIGINT.
import { getLogger } from "@logtape/logtape";
import { ConfigError, loadEnvironment, parseConfig } from "./config.ts";
import { setUpLogging } from "./logging.ts";
import { startGlose, StartupError, stopGlose } from "./server.ts";

try {
  const config = parseConfig(loadEnvironment());
  await setUpLogging(config.logLevel);
  const glose = await startGlose(config);
  const logger = getLogger(["glose"]);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("{signal}: finishing in-flight work, then stopping", { signal });
    process.exit(await stopGlose(glose));
  };
  // A promise rejected with no one to catch it (a background task while the database is away) is
  // logged rather than fatal: the queue and remote servers retry what was being done.
  process.on("unhandledRejection", (reason) => logger.error("Unhandled rejection: {reason}", { reason }));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`glose: ${problem}`);
  } else if (error instanceof StartupError) {
    console.error(`glose: ${error.message}`);
  } else {
    console.error("glose: could not start:", error);
  }
  process.exit(1);
}
