// `npm run export -- FILE [--public | --private]`: the blog as a Netscape bookmark file.
import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { exportNetscape } from "../services/exporting.ts";
import { runCommand, UsageError } from "./command.ts";

await runCommand("export", async (config, database) => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { public: { type: "boolean", default: false }, private: { type: "boolean", default: false } },
  });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1 || (values.public && values.private)) {
    throw new UsageError("usage: npm run export -- FILE [--public | --private]");
  }
  const selection = values.public ? "public" : values.private ? "private" : "all";
  await pipeline(Readable.from(exportNetscape(database.db, config.origin, selection)), createWriteStream(file));
  console.log(`Exported ${selection === "all" ? "every post" : `${selection} posts`} to ${file}.`);
});
