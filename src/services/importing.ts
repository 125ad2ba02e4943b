// Imports links from another service as posts, through the publishing service, in one
// transaction: a source that breaks half-way imports nothing. Imported posts keep their dates and
// reach the blog, the search and the outbox, but followers' timelines only through one summary
// post, when the owner asks for it.
import { inTransaction } from "../data/transaction.ts";
import type { ImportProblem, ImportProblemCode } from "../content/import-failures.ts";
import type { ImportedLink } from "../content/imported-link.ts";
import { recordHistory } from "../data/posts.ts";
import { insertShaarliHashes } from "../data/shaarli-hashes.ts";
import { normalizeUrl } from "../content/index.ts";
import { createImportedPosts, createPost, editPost, type PostFederation, type PostInput, type PublishingDeps } from "./publishing.ts";

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
  readonly problems: readonly ImportProblem[];
  readonly dryRun: boolean;
}

export interface ImportDeps {
  readonly publishing: PublishingDeps;
  readonly origin: string;
}

const MAX_PROBLEMS = 20;

// Nothing an import writes is sent: posts count as sent (edits will reach whoever fetches them).
const SILENT: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

class DryRun extends Error {}

/** Links written at once: one insert where one post at a time would take a query each. */
const BATCH = 500;

export async function importLinks(
  deps: ImportDeps,
  links: AsyncIterable<ImportedLink> | Iterable<ImportedLink>,
  options: ImportOptions,
  onProgress?: (processed: number, counts: ImportCounts) => void | Promise<void>,
): Promise<ImportReport> {
  const counts: ImportCounts = { new: 0, duplicates: 0, updated: 0, private: 0, errors: 0 };
  const problems: ImportProblem[] = [];
  const problem = (link: ImportedLink, code: ImportProblemCode) => {
    counts.errors++;
    if (problems.length < MAX_PROBLEMS) problems.push({ place: link.place, code });
  };
  try {
    // One ambient transaction: the services called inside (editPost for updated duplicates)
    // join it, so that a broken file or a dry run leaves nothing behind.
    const db = deps.publishing.db;
    await inTransaction(db, async () => {
      const silent: PublishingDeps = { db, federation: SILENT, origin: deps.origin };
      let batch: ImportedLink[] = [];
      const urls = new Set<string>();
      let processed = 0;
      const flush = async () => {
        await importBatch(silent, batch, options, counts, problem);
        processed += batch.length;
        batch = [];
        urls.clear();
        await onProgress?.(processed, counts);
      };
      for await (const link of links) {
        // A URL twice in one batch would escape the duplicate check: the first one goes in first.
        const url = link.url === null ? null : normalizeUrl(link.url);
        if (url !== null && urls.has(url)) await flush();
        if (url !== null) urls.add(url);
        batch.push(link);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      if (counts.new + counts.updated > 0) await recordHistory(db, "IMPORT", null);
      if (options.dryRun) throw new DryRun();
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
  }
  if (options.announce && !options.dryRun && counts.new > 0) await announce(deps, counts.new, options.sourceName);
  return { counts, problems, dryRun: options.dryRun ?? false };
}

async function importBatch(
  publishing: PublishingDeps,
  links: readonly ImportedLink[],
  options: ImportOptions,
  counts: ImportCounts,
  problem: (link: ImportedLink, code: ImportProblemCode) => void,
): Promise<void> {
  const inputs = links.map((link) => toInput(link, options));
  const results = await createImportedPosts(publishing, inputs);
  const hashes: { hash: string; post_id: string }[] = [];
  for (const [i, link] of links.entries()) {
    let result = results[i]!;
    if (result.ok) {
      counts.new++;
    } else if (result.error === "duplicate" && result.existing !== undefined) {
      counts.duplicates++;
      if (options.duplicates === "skip") continue;
      result = await editPost(publishing, result.existing.id, inputs[i]!);
      if (result.ok) counts.updated++;
    }
    if (!result.ok) {
      problem(link, result.error);
      continue;
    }
    if (result.post.visibility === "private") counts.private++;
    if (link.shortUrl !== null) hashes.push({ hash: link.shortUrl, post_id: result.post.id });
  }
  await insertShaarliHashes(publishing.db, hashes);
}

function toInput(link: ImportedLink, options: ImportOptions): PostInput {
  const folders = options.foldersAsTags ? link.folders.map((folder) => folder.replace(/[\s,]+/g, "-")) : [];
  return {
    url: link.url,
    title: link.title,
    comment: link.description,
    tags: [...link.tags, ...folders],
    visibility: link.private ? "private" : "public",
    publishedAt: link.createdAt ?? undefined,
  };
}

async function announce(deps: ImportDeps, count: number, sourceName = "a bookmark file"): Promise<void> {
  const links = count === 1 ? "link" : "links";
  await createPost(deps.publishing, {
    title: `Imported ${count.toLocaleString("en-US")} ${links} from ${sourceName}`,
    comment: `They are on the blog, with their original dates: ${deps.origin}/`,
    visibility: "public",
  });
}
