// `npm run migrate`: brings the database named by DATABASE_URL (or the embedded one) up to date.
import { ConfigError, loadEnvironment, parseConfig } from "../config.ts";
import { migrate } from "../data/migrate.ts";
import { connect } from "../server.ts";

try {
  const database = await connect(parseConfig(loadEnvironment()));
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
