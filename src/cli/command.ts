// What Glose's commands share: the settings `npm start` reads, the database they name, and one
// clear line on stderr with a non-zero exit when something fails.
import { existsSync } from "node:fs";
import { ConfigError, loadEnvironment, parseConfig, type Config } from "../config.ts";
import type { Database } from "../data/client.ts";
import { connect } from "../server.ts";

/** Parses the arguments (before opening anything, so that a usage error is instant), then runs. */
export async function runCommand<Args>(
  name: string,
  parse: () => Args,
  body: (config: Config, database: Database, args: Args) => Promise<void>,
): Promise<void> {
  try {
    const args = parse();
    const config = parseConfig(loadEnvironment());
    const database = await connect(config);
    try {
      await body(config, database, args);
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

/** The one FILE argument, which must exist when it is to be read. */
export function fileArgument(positionals: readonly string[], usage: string, mustExist: boolean): string {
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError(`usage: ${usage}`);
  if (mustExist && !existsSync(file)) throw new UsageError(`${file}: no such file`);
  return file;
}
