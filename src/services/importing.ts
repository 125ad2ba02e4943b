// Imports links from another service as posts, through the publishing service, in one
// transaction: a source that breaks half-way imports nothing. Imported posts keep their dates and
// reach the blog, the search and the outbox, but followers' timelines only through one summary
// post, when the owner asks for it.
import type { ImportedLink } from "../content/imported-link.ts";
import type { Db } from "../data/client.ts";
import { recordHistory } from "../data/posts.ts";
import { insertShaarliHash } from "../data/shaarli-hashes.ts";
import { createPost, editPost, type PostFederation, type PostInput, type PublishingDeps } from "./publishing.ts";

export interface ImportOptions {
  /** A link whose URL is already posted: left alone, or updated from the source. */
  readonly duplicates: "skip" | "update";
  /** Counts what would happen, and writes nothing. */
  readonly dryRun?: boolean;
  /** Browsers' folders become tags. */
  readonly foldersAsTags?: boolean;
  /** Publishes one post, sent to followers, that tells of the import. */
  readonly announce?: boolean;
  /** Where the links come from, for the announcement: "Shaarli", "a bookmark file". */
  readonly sourceName?: string;
}

export interface ImportCounts {
  new: number;
  duplicates: number;
  updated: number;
  private: number;
  errors: number;
}

export interface ImportReport {
  readonly counts: ImportCounts;
  /** What was wrong with the links counted as errors (the first ones). */
  readonly problems: readonly string[];
  readonly dryRun: boolean;
}

export interface ImportDeps {
  readonly publishing: PublishingDeps;
  readonly origin: string;
}

const MAX_PROBLEMS = 20;
const ERRORS = {
  "invalid-url": "not a web address",
  empty: "neither an address nor a title",
  "too-long": "a title or description too long",
  "invalid-visibility": "an invalid visibility",
  "not-found": "the post to update is gone",
  duplicate: "already posted",
} as const;

// Nothing an import writes is sent: posts count as sent (edits will reach whoever fetches them).
const SILENT: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

class DryRun extends Error {}

export async function importLinks(
  deps: ImportDeps,
  links: AsyncIterable<ImportedLink> | Iterable<ImportedLink>,
  options: ImportOptions,
  onProgress?: (processed: number, counts: ImportCounts) => void | Promise<void>,
): Promise<ImportReport> {
  const counts: ImportCounts = { new: 0, duplicates: 0, updated: 0, private: 0, errors: 0 };
  const problems: string[] = [];
  const problem = (link: ImportedLink, text: string) => {
    counts.errors++;
    if (problems.length < MAX_PROBLEMS) problems.push(`${link.where}: ${text}`);
  };
  try {
    await deps.publishing.db.transaction().execute(async (trx) => {
      const silent: PublishingDeps = { db: trx, federation: SILENT };
      let processed = 0;
      for await (const link of links) {
        await importOne(silent, trx, link, options, counts, problem);
        processed++;
        if (processed % 200 === 0) await onProgress?.(processed, counts);
      }
      if (counts.new + counts.updated > 0) await recordHistory(trx, "IMPORT", null);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  if (options.announce && !options.dryRun && counts.new > 0) await announce(deps, counts.new, options.sourceName);
  return { counts, problems, dryRun: options.dryRun ?? false };
}

async function importOne(
  publishing: PublishingDeps,
  trx: Db,
  link: ImportedLink,
  options: ImportOptions,
  counts: ImportCounts,
  problem: (link: ImportedLink, text: string) => void,
): Promise<void> {
  const input: PostInput = {
    url: link.url,
    title: link.title,
    comment: link.description,
    tags: options.foldersAsTags ? [...link.tags, ...link.folders.map((folder) => folder.replace(/[\s,]+/g, "-"))] : link.tags,
    visibility: link.private ? "private" : "public",
    publishedAt: link.createdAt ?? undefined,
  };
  let result = await createPost(publishing, input);
  if (!result.ok && result.error === "duplicate" && result.existing !== undefined) {
    counts.duplicates++;
    if (options.duplicates === "skip") return;
    result = await editPost(publishing, result.existing.id, input);
    if (result.ok) counts.updated++;
  } else if (result.ok) {
    counts.new++;
  }
  if (!result.ok) return problem(link, ERRORS[result.error]);
  if (result.post.visibility === "private") counts.private++;
  if (link.shortUrl !== null) await insertShaarliHash(trx, link.shortUrl, result.post.id);
}

async function announce(deps: ImportDeps, count: number, sourceName = "a bookmark file"): Promise<void> {
  const links = count === 1 ? "link" : "links";
  await createPost(deps.publishing, {
    title: `Imported ${count.toLocaleString("en-US")} ${links} from ${sourceName}`,
    comment: `They are on the blog, with their original dates: ${deps.origin}/`,
    visibility: "public",
  });
}
