import type { Db } from "./client.ts";
import { countPosts } from "./posts.ts";

export interface PostCounts {
  readonly total: number;
  readonly lastMonth: number;
  readonly lastHalfYear: number;
}

const DAY = 24 * 3600 * 1000;

/** Posts the fediverse can see, for NodeInfo. */
export async function countLocalPosts(db: Db): Promise<PostCounts> {
  const visibilities = ["public", "unlisted"] as const;
  const now = Date.now();
  const [total, lastMonth, lastHalfYear] = await Promise.all([
    countPosts(db, { visibilities }),
    countPosts(db, { visibilities, since: new Date(now - 30 * DAY) }),
    countPosts(db, { visibilities, since: new Date(now - 182 * DAY) }),
  ]);
  return { total, lastMonth, lastHalfYear };
}
