// Links that do not rot: every post's link is checked in the background, about once a week
// (daily while it fails), one request per host at a time; dead links get an archived copy and
// moved ones their new address, each through an edit the owner approves.
import { getLogger } from "@logtape/logtape";
import type { LinkStatus } from "../../db/schema.ts";
import { waybackUrl, withArchiveLink } from "../content/archive-links.ts";
import type { Db } from "../data/client.ts";
import {
  claimDueChecks,
  getLinkCheck,
  listLinkChecks,
  makeChecksDue,
  saveLinkCheck,
  scheduleUncheckedLinks,
  type LinkCheckChanges,
  type LinkCheckRow,
} from "../data/link-checks.ts";
import { getPost } from "../data/posts.ts";
import { checkLink, type LinkCheckResult } from "../remote/link-check.ts";
import { editPost, type PostError, type PublishingDeps } from "./publishing.ts";

const logger = getLogger(["glose", "link-health"]);

const DAY_MS = 24 * 3600 * 1000;
/** Failures spread over this long make a link dead. */
export const DEAD_AFTER_MS = 7 * DAY_MS;
/** A claimed check is not taken again before this, even if its worker dies. */
const LEASE_MS = 10 * 60 * 1000;
/** Hosts checked at the same time; each host sees one request at a time. */
const HOSTS_AT_ONCE = 4;

export interface LinkHealthDeps {
  readonly db: Db;
  readonly check: (url: string) => Promise<LinkCheckResult>;
  /** Asks an archive to save a newly posted page; absent unless the owner chose it. */
  readonly archive?: (url: string) => Promise<void>;
  readonly now?: () => Date;
}

/** The checks as Glose runs them: Glose's User-Agent, the private-address guard unless allowed. */
export function linkHealthDeps(
  db: Db,
  options: { allowPrivateAddress: boolean; userAgent: string; archiveOnPublish: boolean },
): LinkHealthDeps {
  const { allowPrivateAddress, userAgent } = options;
  return {
    db,
    check: (url) => checkLink(url, { allowPrivateAddress, userAgent }),
    ...(options.archiveOnPublish ? { archive: (url: string) => saveToWayback(url, userAgent) } : {}),
  };
}

/** Asks the Wayback Machine to save a page now: one GET of its save URL, the answer ignored. */
async function saveToWayback(url: string, userAgent: string): Promise<void> {
  const response = await fetch(`https://web.archive.org/save/${url}`, {
    headers: { "User-Agent": userAgent },
    signal: AbortSignal.timeout(30_000),
  });
  await response.body?.cancel();
  logger.info("Asked the Wayback Machine to save {url}: {status}", { url, status: response.status });
}

/** One round: schedules new links, then checks up to `batch` due ones. Returns how many it checked. */
export async function runLinkChecks(deps: LinkHealthDeps, batch = 20, signal?: AbortSignal): Promise<number> {
  const now = deps.now?.() ?? new Date();
  await scheduleUncheckedLinks(deps.db, now);
  const due = await claimDueChecks(deps.db, now, new Date(now.getTime() + LEASE_MS), batch);
  const byHost = Map.groupBy(due, (row) => hostOf(row.url));
  const queues = [...byHost.values()];
  const worker = async () => {
    for (let rows = queues.shift(); rows !== undefined; rows = queues.shift()) {
      // On shutdown the rest waits for its lease to end.
      for (const row of rows) if (signal?.aborted !== true) await checkAndRecord(deps, row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(HOSTS_AT_ONCE, queues.length) }, worker));
  return due.length;
}

/** Checks one post's link at once (the admin's "check now"). */
export async function checkPostLink(deps: LinkHealthDeps, postId: string): Promise<LinkCheckRow | undefined> {
  await scheduleUncheckedLinks(deps.db, deps.now?.() ?? new Date());
  const [row, post] = await Promise.all([getLinkCheck(deps.db, postId), getPost(deps.db, postId)]);
  if (row === undefined || post?.deleted_at !== null) return undefined;
  await checkAndRecord(deps, row);
  return await getLinkCheck(deps.db, postId);
}

/** Every link is due now: the worker goes through them, host by host. */
export async function checkAllLinksSoon(deps: Pick<LinkHealthDeps, "db" | "now">): Promise<void> {
  await makeChecksDue(deps.db, deps.now?.() ?? new Date());
}

async function checkAndRecord(deps: LinkHealthDeps, row: LinkCheckRow): Promise<void> {
  try {
    const result = await deps.check(row.url);
    const now = deps.now?.() ?? new Date();
    await saveLinkCheck(deps.db, row.post_id, nextState(row, result, now));
    if (row.status === "unchecked" && result.outcome === "alive" && deps.archive !== undefined) {
      const post = await getPost(deps.db, row.post_id);
      // Only new posts: imports and changed links of old posts are not sent one by one.
      if (post !== undefined && now.getTime() - post.published_at.getTime() < DAY_MS) await deps.archive(row.url);
    }
  } catch (error) {
    logger.warn("Checking the link of post {id} failed: {error}", { id: row.post_id, error });
  }
}

/** What a check's result makes of a link's record, and when to look again. */
export function nextState(row: LinkCheckRow, result: LinkCheckResult, now: Date): LinkCheckChanges {
  const common = { http_status: result.httpStatus, error: result.error, last_checked_at: now };
  if (result.outcome === "alive") {
    return {
      ...common,
      status: result.movedTo !== null && result.movedTo !== row.url ? "moved" : "healthy",
      final_url: result.movedTo,
      last_alive_at: now,
      consecutive_failures: 0,
      failing_since: null,
      next_check_at: healthyNext(now),
    };
  }
  if (result.outcome === "refused") {
    return { ...common, status: "refused", final_url: null, next_check_at: healthyNext(now) };
  }
  const failingSince = row.failing_since ?? now;
  const dead = result.outcome === "gone" || now.getTime() - failingSince.getTime() >= DEAD_AFTER_MS;
  return {
    ...common,
    status: dead ? "dead" : "failing",
    final_url: null,
    consecutive_failures: row.consecutive_failures + 1,
    failing_since: failingSince,
    next_check_at: dead ? healthyNext(now) : new Date(now.getTime() + DAY_MS),
  };
}

/** About a week, give or take a day, so that checks of links posted together spread out. */
function healthyNext(now: Date): Date {
  return new Date(now.getTime() + 7 * DAY_MS + (Math.random() * 2 - 1) * DAY_MS);
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}

export type LinkActionError = PostError | "not-dead" | "not-moved" | "no-link";
/** `changed` is false when there was nothing left to do (the archive link was already there). */
export type LinkActionResult = { ok: true; changed: boolean } | { ok: false; error: LinkActionError };

/** Adds a link to the Wayback Machine's copy (of the post's date) to a dead link's commentary. */
export async function addArchiveLink(deps: { db: Db; publishing: PublishingDeps }, postId: string): Promise<LinkActionResult> {
  const [post, check] = await Promise.all([getPost(deps.db, postId), getLinkCheck(deps.db, postId)]);
  if (post === undefined || post.deleted_at !== null) return { ok: false, error: "not-found" };
  if (post.url === null) return { ok: false, error: "no-link" };
  if (check?.status !== "dead" || check.url !== post.url) return { ok: false, error: "not-dead" };
  const comment = withArchiveLink(post.comment, waybackUrl(post.url, post.published_at));
  if (comment === post.comment) return { ok: true, changed: false };
  const result = await editPost(deps.publishing, postId, { comment });
  return result.ok ? { ok: true, changed: true } : { ok: false, error: result.error };
}

/** Replaces a moved link with where its permanent redirects lead. */
export async function updateMovedLink(deps: { db: Db; publishing: PublishingDeps }, postId: string): Promise<LinkActionResult> {
  const [post, check] = await Promise.all([getPost(deps.db, postId), getLinkCheck(deps.db, postId)]);
  if (post === undefined || post.deleted_at !== null) return { ok: false, error: "not-found" };
  if (check?.status !== "moved" || check.final_url === null || check.url !== post.url) return { ok: false, error: "not-moved" };
  const result = await editPost(deps.publishing, postId, { url: check.final_url });
  return result.ok ? { ok: true, changed: true } : { ok: false, error: result.error };
}

/** Applies `action` to every link of `status`; returns how many posts it changed. */
export async function applyToAll(
  deps: { db: Db; publishing: PublishingDeps },
  status: Extract<LinkStatus, "dead" | "moved">,
  action: typeof addArchiveLink,
): Promise<number> {
  let done = 0;
  for (const row of await listLinkChecks(deps.db, status, 10_000)) {
    const result = await action(deps, row.post_id);
    if (result.ok && result.changed) done++;
  }
  return done;
}

/**
 * Runs a round of checks every `intervalMs` until `signal` aborts: a new link waits less than a
 * minute, and a big import's links are spread over hours rather than checked at once.
 */
export async function runLinkHealthWorker(deps: LinkHealthDeps, signal: AbortSignal, intervalMs = 30_000): Promise<void> {
  while (!signal.aborted) {
    try {
      await runLinkChecks(deps, 20, signal);
    } catch (error) {
      logger.error("Link checks: {error}", { error });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
