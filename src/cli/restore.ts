// `npm run restore -- FILE [--force]`: restores a backup into an empty Glose (--force: any Glose).
import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { restoreBackup } from "../services/backup.ts";
import { fileArgument, runCommand } from "./command.ts";

function parse() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: "boolean", default: false } } });
  return { force: values.force, file: fileArgument(positionals, "npm run restore -- FILE [--force]", true) };
}

await runCommand("restore", parse, async (_config, database, { force, file }) => {
  const report = await restoreBackup(database.db, createReadStream(file), { force });
  console.log(`Restored ${report.rows} rows in ${report.tables} tables from ${file}.`);
});
