// `npm run restore -- FILE [--force]`: restores a backup into an empty Glose (--force: any Glose).
import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { restoreBackup } from "../services/backup.ts";
import { runCommand, UsageError } from "./command.ts";

await runCommand("restore", async (_config, database) => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: "boolean", default: false } } });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError("usage: npm run restore -- FILE [--force]");
  const report = await restoreBackup(database.db, createReadStream(file), { force: values.force });
  console.log(`Restored ${report.rows} rows in ${report.tables} tables from ${file}.`);
});
