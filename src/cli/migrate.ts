// `npm run migrate`: brings the database named by DATABASE_URL (or the embedded one) up to date.
import { loadEnvironment, parseConfig, ConfigError } from "../config.ts";
import { openDatabase } from "../data/client.ts";
import { migrate } from "../data/migrate.ts";

try {
  const config = parseConfig(loadEnvironment());
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const ran = await migrate(database.db);
    console.log(ran.length === 0 ? "The database is up to date." : `Ran ${ran.join(", ")}.`);
  } finally {
    await database.close();
  }
} catch (error) {
  const lines = error instanceof ConfigError ? error.problems : [error instanceof Error ? error.message : String(error)];
  for (const line of lines) console.error(`glose: ${line}`);
  process.exit(1);
}
