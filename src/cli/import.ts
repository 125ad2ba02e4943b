// `npm run import -- FILE [--dry-run] [--duplicates=skip|update] [--folders-as-tags] [--announce]`:
// imports a Netscape bookmark file or a Shaarli datastore.php (the format is detected).
import { parseArgs } from "node:util";
import { migrate } from "../data/migrate.ts";
import { createFederation } from "../federation/index.ts";
import { GloseKvStore } from "../federation/kv-store.ts";
import { GloseMessageQueue } from "../federation/message-queue.ts";
import { createPostFederation } from "../federation/outbox.ts";
import { importLinks } from "../services/importing.ts";
import { sourceFromFile } from "../services/import-sources.ts";
import { fileArgument, runCommand, UsageError } from "./command.ts";
import { formatReport } from "./report.ts";

const USAGE = "npm run import -- FILE [--dry-run] [--duplicates=skip|update] [--folders-as-tags] [--announce]";

function parse() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      duplicates: { type: "string", default: "skip" },
      "folders-as-tags": { type: "boolean", default: false },
      announce: { type: "boolean", default: false },
    },
  });
  const duplicates = values.duplicates;
  if (duplicates !== "skip" && duplicates !== "update") throw new UsageError("--duplicates must be skip or update");
  return { ...values, duplicates, file: fileArgument(positionals, USAGE, true) } as const;
}

await runCommand("import", parse, async (config, database, args) => {
  await migrate(database.db);
  const source = await sourceFromFile(args.file);
  // The announcement goes through the queue, which a running Glose's worker delivers.
  const contextData = { db: database.db, config };
  const federation = createFederation({ config, kv: new GloseKvStore(database.db), queue: new GloseMessageQueue(database) });
  const report = await importLinks(
    { publishing: { db: database.db, federation: createPostFederation(federation, contextData) }, origin: config.origin },
    source.links,
    {
      duplicates: args.duplicates,
      dryRun: args["dry-run"],
      foldersAsTags: args["folders-as-tags"],
      announce: args.announce,
      sourceName: source.name,
    },
  );
  console.log(formatReport(report));
});
