// The blog as a Netscape bookmark file, oldest first, read page by page: Shaarli, linkding,
// Pinboard and browsers import it. A note without a link points to its permalink, as Shaarli's do.
import type { Visibility } from "../../db/schema.ts";
import { NETSCAPE_FOOTER, NETSCAPE_HEADER, netscapeEntry } from "../content/netscape-export.ts";
import type { Db } from "../data/client.ts";

export type ExportSelection = "all" | "public" | "private";

const SELECTIONS: Record<ExportSelection, readonly Visibility[]> = {
  all: ["public", "unlisted", "followers", "private"],
  public: ["public", "unlisted"],
  private: ["followers", "private"],
};

export async function* exportNetscape(db: Db, origin: string, selection: ExportSelection = "all"): AsyncGenerator<string> {
  yield NETSCAPE_HEADER;
  let after: { published_at: Date; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom("posts")
      .select(["id", "url", "title", "comment", "tags", "visibility", "published_at", "updated_at"])
      .where("deleted_at", "is", null)
      .where("visibility", "in", [...SELECTIONS[selection]]);
    if (after !== undefined) {
      const { published_at, id } = after;
      query = query.where((eb) =>
        eb.or([eb("published_at", ">", published_at), eb.and([eb("published_at", "=", published_at), eb("id", ">", id)])]),
      );
    }
    const page = await query.orderBy("published_at", "asc").orderBy("id", "asc").limit(500).execute();
    for (const post of page) {
      yield netscapeEntry({
        url: post.url ?? `${origin}/p/${post.id}`,
        title: post.title,
        description: post.comment,
        tags: post.tags,
        createdAt: post.published_at,
        updatedAt: post.updated_at,
        private: post.visibility === "followers" || post.visibility === "private",
      });
    }
    if (page.length < 500) break;
    after = page.at(-1);
  }
  yield NETSCAPE_FOOTER;
}
