// `npm run backup -- FILE [--keys]`: everything but the private keys (unless --keys), as one archive.
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { parseArgs } from "node:util";
import { writeBackup } from "../services/backup.ts";
import { fileArgument, runCommand } from "./command.ts";

function parse() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { keys: { type: "boolean", default: false } } });
  return { keys: values.keys, file: fileArgument(positionals, "npm run backup -- FILE [--keys]", false) };
}

await runCommand("backup", parse, async (_config, database, { keys, file }) => {
  // Written aside and renamed: a failed backup never leaves a half archive under the name asked.
  const partial = `${file}.partial`;
  await writeBackup(database.db, createWriteStream(partial, { mode: keys ? 0o600 : 0o644 }), { keys });
  await rename(partial, file);
  console.log(`Backed up to ${file}${keys ? " (with the private keys: keep it safe)" : ""}.`);
});
