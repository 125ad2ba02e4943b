// `npm run export -- FILE [--public | --private]`: the blog as a Netscape bookmark file.
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { exportNetscape } from "../services/exporting.ts";
import { fileArgument, runCommand, UsageError } from "./command.ts";

const USAGE = "npm run export -- FILE [--public | --private]";

function parse() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { public: { type: "boolean", default: false }, private: { type: "boolean", default: false } },
  });
  if (values.public && values.private) throw new UsageError(`usage: ${USAGE}`);
  const selection = values.public ? "public" : values.private ? "private" : "all";
  return { selection, file: fileArgument(positionals, USAGE, false) } as const;
}

await runCommand("export", parse, async (config, database, { selection, file }) => {
  await pipeline(Readable.from(exportNetscape(database.db, config.origin, selection)), createWriteStream(file));
  console.log(`Exported ${selection === "all" ? "every post" : `${selection} posts`} to ${file}.`);
});
