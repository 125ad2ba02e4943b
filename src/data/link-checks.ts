import { sql, type Selectable, type Updateable } from "kysely";
import type { LinkCheckTable, LinkStatus } from "../../db/schema.ts";
import type { Db } from "./client.ts";
import { readChanged } from "./read-changes.ts";

export type LinkCheckRow = Selectable<LinkCheckTable>;
export type LinkCheckChanges = Updateable<LinkCheckTable>;

/** A check with the post it belongs to, for the admin's lists. */
export interface LinkCheckListing extends LinkCheckRow {
  readonly title: string;
  readonly published_at: Date;
  readonly comment: string;
}

/**
 * Gives every live post with a link a check due now: new posts, and posts whose link changed
 * since their last check (which starts over).
 */
export async function scheduleUncheckedLinks(db: Db, now: Date): Promise<void> {
  await db
    .insertInto("link_checks")
    .columns(["post_id", "url", "next_check_at"])
    .expression((eb) =>
      eb
        .selectFrom("posts")
        .select(["posts.id", "posts.url", sql<Date>`${now}::timestamptz`.as("next_check_at")])
        .where("posts.url", "is not", null)
        .where("posts.deleted_at", "is", null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("link_checks").select("post_id").whereRef("link_checks.post_id", "=", "posts.id")))),
    )
    .onConflict((oc) => oc.column("post_id").doNothing())
    .execute();
  await db
    .updateTable("link_checks")
    .from("posts")
    .set((eb) => ({
      url: eb.ref("posts.url").$castTo<string>(),
      status: "unchecked",
      http_status: null,
      final_url: null,
      error: null,
      consecutive_failures: 0,
      failing_since: null,
      next_check_at: now,
    }))
    .whereRef("posts.id", "=", "link_checks.post_id")
    .where("posts.url", "is not", null)
    .whereRef("posts.url", "<>", "link_checks.url")
    .execute();
}

/**
 * Takes up to `limit` checks that are due and pushes their next check past
 * `leaseUntil`, so that another worker (or a later tick) does not take them meanwhile.
 */
export async function claimDueChecks(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<LinkCheckRow[]> {
  return await db
    .updateTable("link_checks")
    .set({ next_check_at: leaseUntil })
    .where("post_id", "in", (eb) =>
      eb
        .selectFrom("link_checks")
        .innerJoin("posts", "posts.id", "link_checks.post_id")
        .select("link_checks.post_id")
        .where("link_checks.next_check_at", "<=", now)
        .where("posts.deleted_at", "is", null)
        .whereRef("posts.url", "=", "link_checks.url")
        // Newest posts first: a new post is not kept waiting behind an import's links.
        .orderBy("posts.published_at", "desc")
        .limit(limit)
        .forUpdate("link_checks")
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

export async function getLinkCheck(db: Db, postId: string): Promise<LinkCheckRow | undefined> {
  return await db.selectFrom("link_checks").selectAll().where("post_id", "=", postId).executeTakeFirst();
}

export async function saveLinkCheck(db: Db, postId: string, changes: LinkCheckChanges): Promise<void> {
  await db.updateTable("link_checks").set(changes).where("post_id", "=", postId).execute();
  // Permalinks say when a link is dead.
  if (changes.status !== undefined) await readChanged(db, "links");
}

/** Live posts' checks, so that deleted posts and dropped links count nowhere. */
function liveChecks(db: Db) {
  return db
    .selectFrom("link_checks")
    .innerJoin("posts", "posts.id", "link_checks.post_id")
    .where("posts.deleted_at", "is", null)
    .whereRef("posts.url", "=", "link_checks.url");
}

export async function countLinkStatuses(db: Db): Promise<Record<LinkStatus, number>> {
  const rows = await liveChecks(db)
    .select(["link_checks.status", (eb) => eb.fn.countAll<string>().as("count")])
    .groupBy("link_checks.status")
    .execute();
  const counts: Record<LinkStatus, number> = { unchecked: 0, healthy: 0, moved: 0, failing: 0, dead: 0, refused: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

export async function listLinkChecks(db: Db, status: LinkStatus, limit = 200): Promise<LinkCheckListing[]> {
  return await liveChecks(db)
    .selectAll("link_checks")
    .select(["posts.title", "posts.published_at", "posts.comment"])
    .where("link_checks.status", "=", status)
    .orderBy("posts.published_at", "desc")
    .limit(limit)
    .execute();
}

/** Makes one check (or, without a post id, every check) due now. */
export async function makeChecksDue(db: Db, now: Date, postId?: string): Promise<void> {
  let query = db.updateTable("link_checks").set({ next_check_at: now });
  if (postId !== undefined) query = query.where("post_id", "=", postId);
  await query.execute();
}
