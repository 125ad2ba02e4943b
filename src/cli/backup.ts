// `npm run backup -- FILE [--keys]`: everything but the private keys (unless --keys), as one archive.
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { parseArgs } from "node:util";
import { writeBackup } from "../services/backup.ts";
import { runCommand, UsageError } from "./command.ts";

await runCommand("backup", async (_config, database) => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { keys: { type: "boolean", default: false } } });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError("usage: npm run backup -- FILE [--keys]");
  // Written aside and renamed: a failed backup never leaves a half archive under the name asked.
  const partial = `${file}.partial`;
  await writeBackup(database.db, createWriteStream(partial, { mode: values.keys ? 0o600 : 0o644 }), { keys: values.keys });
  await rename(partial, file);
  console.log(`Backed up to ${file}${values.keys ? " (with the private keys: keep it safe)" : ""}.`);
});
