// What Glose's commands share: the settings `npm start` reads, the database they name, and one
// clear line on stderr with a non-zero exit when something fails.
import { ConfigError, loadEnvironment, parseConfig, type Config } from "../config.ts";
import type { Database } from "../data/client.ts";
import { connect } from "../server.ts";

export async function runCommand(name: string, body: (config: Config, database: Database) => Promise<void>): Promise<void> {
  try {
    const config = parseConfig(loadEnvironment());
    const database = await connect(config);
    try {
      await body(config, database);
    } finally {
      await database.close();
    }
  } catch (error) {
    const lines = error instanceof ConfigError ? error.problems : [error instanceof Error ? error.message : String(error)];
    for (const line of lines) console.error(`glose ${name}: ${line}`);
    process.exitCode = 1;
  }
}

/** A usage problem: the same one-line failure as any other. */
export class UsageError extends Error {
  override name = "UsageError";
}
