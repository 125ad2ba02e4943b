// The Shaarli API's tags: counts, renaming (merging into an existing tag) and removal. Renames
// and removals edit each post through publishing.ts, so followers see the new tags.
import { Hono } from "hono";
import { listTagCounts } from "../../data/posts.ts";
import { countTagUses, tagSpellings } from "../../data/tags.ts";
import { removeTag, renameTag, tagName } from "../../services/tag-renaming.ts";
import { apiError, INVALID_JSON, parsePaging, readJsonObject, visibilitiesFor, type ApiDeps, type ApiEnv } from "./common.ts";

export function tagRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();

  /** The stored tag a path names, whatever its case (its most used spelling), if any post carries it. */
  const existingTag = async (name: string): Promise<{ tag: string; occurrences: number } | null> => {
    const asked = tagName(name);
    const tag = asked === null ? undefined : (await tagSpellings(deps.db, asked))[0];
    if (tag === undefined) return null;
    return { tag, occurrences: await countTagUses(deps.db, tag) };
  };

  // Most used first, then by name; all of them unless a limit is given, as Shaarli does.
  routes.get("/tags", async (c) => {
    const paging = parsePaging(c.req.query("offset"), c.req.query("limit"), "all");
    if (!paging.ok) return apiError(c, 400, paging.message);
    const counts = await listTagCounts(deps.db, visibilitiesFor(c.req.query("visibility")));
    const end = paging.limit === undefined ? undefined : paging.offset + paging.limit;
    return c.json(counts.slice(paging.offset, end).map(({ tag, count }) => ({ name: tag, occurrences: count })));
  });

  routes.get("/tags/:name", async (c) => {
    const found = await existingTag(c.req.param("name"));
    if (found === null) return apiError(c, 404, "Tag not found");
    return c.json({ name: found.tag, occurrences: found.occurrences });
  });

  routes.put("/tags/:name", async (c) => {
    const found = await existingTag(c.req.param("name"));
    if (found === null) return apiError(c, 404, "Tag not found");
    const body = await readJsonObject(c);
    if (body === null) return apiError(c, 400, INVALID_JSON);
    if (typeof body.name !== "string" || body.name.trim() === "") {
      return apiError(c, 400, "New tag name is required in the request body");
    }
    const result = await renameTag(deps.publishing, found.tag, body.name);
    if (!result.ok) {
      return result.error === "not-found" ? apiError(c, 404, "Tag not found") : apiError(c, 400, "Invalid tag name: one word was expected");
    }
    return c.json({ name: result.tag, occurrences: result.occurrences });
  });

  routes.delete("/tags/:name", async (c) => {
    const found = await existingTag(c.req.param("name"));
    if (found === null) return apiError(c, 404, "Tag not found");
    const result = await removeTag(deps.publishing, found.tag);
    if (!result.ok) return apiError(c, 404, "Tag not found");
    return c.body(null, 204);
  });

  return routes;
}
