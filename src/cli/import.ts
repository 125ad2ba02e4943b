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
import { runCommand, UsageError } from "./command.ts";
import { formatReport } from "./report.ts";

await runCommand("import", async (config, database) => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "dry-run": { type: "boolean", default: false },
      duplicates: { type: "string", default: "skip" },
      "folders-as-tags": { type: "boolean", default: false },
      announce: { type: "boolean", default: false },
    },
  });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError("usage: npm run import -- FILE [--dry-run] [--duplicates=skip|update] [--folders-as-tags] [--announce]");
  if (values.duplicates !== "skip" && values.duplicates !== "update") throw new UsageError("--duplicates must be skip or update");
  await migrate(database.db);
  const source = await sourceFromFile(file);
  // The announcement goes through the queue, which a running Glose's worker delivers.
  const contextData = { db: database.db, config };
  const federation = createFederation({ config, kv: new GloseKvStore(database.db), queue: new GloseMessageQueue(database) });
  const report = await importLinks(
    { publishing: { db: database.db, federation: createPostFederation(federation, contextData) }, origin: config.origin },
    source.links,
    {
      duplicates: values.duplicates,
      dryRun: values["dry-run"],
      foldersAsTags: values["folders-as-tags"],
      announce: values.announce,
      sourceName: source.name,
    },
  );
  console.log(formatReport(report));
});
