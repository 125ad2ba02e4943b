// The Shaarli API's links: a Glose post as a Shaarli link, and the routes that list, create,
// replace and delete them. Writes go through publishing.ts, so API posts federate like any other;
// Shaarli links carry no language, so publishing detects it from the text.
import { Hono, type Context } from "hono";
import type { Visibility } from "../../../db/schema.ts";
import { normalizeTags } from "../../content/index.ts";
import { detectLanguage } from "../../content/language.ts";
import type { AccountRow } from "../../data/account.ts";
import { searchPostsForApi } from "../../data/api-queries.ts";
import { getPost, type PostRow } from "../../data/posts.ts";
import { createPost, deletePost, editPost, VISIBILITIES, type PostResult } from "../../services/publishing.ts";
import {
  apiError,
  atomDate,
  INVALID_JSON,
  parseIsoDate,
  parsePaging,
  readJsonObject,
  visibilitiesFor,
  type ApiDeps,
  type ApiEnv,
} from "./common.ts";

const DEFAULT_LIMIT = 20;

export interface ApiLink {
  id: string;
  url: string;
  shorturl: string;
  title: string;
  description: string;
  tags: string[];
  private: boolean;
  created: string;
  updated: string;
}

/** A post as Shaarli's ApiUtils::formatLink shows a link; a note links to its own permalink. */
export function formatLink(post: PostRow, origin: string): ApiLink {
  return {
    id: post.id,
    url: post.url ?? `${origin}/p/${post.id}`,
    shorturl: post.id,
    title: post.title,
    description: post.comment,
    tags: post.tags,
    private: post.visibility === "private",
    created: atomDate(post.published_at),
    updated: atomDate(post.updated_at ?? post.published_at),
  };
}

export function linkRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  const origin = deps.config.origin;

  routes.get("/links", async (c) => {
    const paging = parsePaging(c.req.query("offset"), c.req.query("limit"), DEFAULT_LIMIT);
    if (!paging.ok) return apiError(c, 400, paging.message);
    const terms = splitTerms(c.req.query("searchterm") ?? "");
    const tags = splitTags(c.req.query("searchtags") ?? "");
    const posts = await searchPostsForApi(deps.db, {
      visibilities: visibilitiesFor(c.req.query("visibility")),
      terms: terms.included,
      excludedTerms: terms.excluded,
      tags: tags.included,
      excludedTags: tags.excluded,
      offset: paging.offset,
      limit: paging.limit,
    });
    return c.json(posts.map((post) => formatLink(post, origin)));
  });

  routes.get("/links/:id", async (c) => {
    const post = await getPost(deps.db, c.req.param("id"));
    if (post === undefined || post.deleted_at !== null) return apiError(c, 404, "Link not found");
    return c.json(formatLink(post, origin));
  });

  routes.post("/links", async (c) => {
    const body = await readJsonObject(c);
    if (body === null) return apiError(c, 400, INVALID_JSON);
    const input = linkInput(body, c.get("account"));
    if (!input.ok) return apiError(c, 400, input.message);
    const result = await createPost(deps.publishing, input.fields);
    if (!result.ok) return failure(c, result, origin);
    c.header("Location", `${c.req.path.replace(/\/+$/, "")}/${result.post.id}`);
    return c.json(formatLink(result.post, origin), 201);
  });

  // A full replacement, as in Shaarli: what the body leaves out becomes empty.
  routes.put("/links/:id", async (c) => {
    const before = await getPost(deps.db, c.req.param("id"));
    if (before === undefined || before.deleted_at !== null) return apiError(c, 404, "Link not found");
    const body = await readJsonObject(c);
    if (body === null) return apiError(c, 400, INVALID_JSON);
    const input = linkInput(body, c.get("account"), before.visibility);
    if (!input.ok) return apiError(c, 400, input.message);
    // A replaced text may be in another language; when unsure, the post keeps its own.
    const language = (await detectLanguage(`${input.fields.title}\n${input.fields.comment}`)) ?? undefined;
    const result = await editPost(deps.publishing, before.id, { ...input.fields, language });
    if (!result.ok) return failure(c, result, origin);
    return c.json(formatLink(result.post, origin));
  });

  routes.delete("/links/:id", async (c) => {
    const result = await deletePost(deps.publishing, c.req.param("id"));
    if (!result.ok) return failure(c, result, origin);
    return c.body(null, 204);
  });

  return routes;
}

type LinkFields = {
  url: string | null;
  title: string;
  comment: string;
  tags: string[];
  visibility: Visibility;
  publishedAt?: Date;
};

/** Shaarli's ApiUtils::buildBookmarkFromRequest, stricter on types. `updated` is ours to set. */
function linkInput(
  body: Record<string, unknown>,
  account: AccountRow,
  current?: Visibility,
): { ok: true; fields: LinkFields } | { ok: false; message: string } {
  for (const field of ["url", "title", "description"]) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== "string") return { ok: false, message: `Invalid ${field}: a string was expected` };
  }
  const tags = body.tags;
  let tagList: string[] = [];
  if (typeof tags === "string") tagList = [tags];
  else if (Array.isArray(tags) && tags.every((tag) => typeof tag === "string")) tagList = tags;
  else if (tags !== undefined && tags !== null) return { ok: false, message: "Invalid tags: an array of strings was expected" };
  let publishedAt: Date | undefined;
  if (typeof body.created === "string" && body.created.trim() !== "") {
    const date = parseIsoDate(body.created);
    if (date === null) return { ok: false, message: "Invalid created date: ISO 8601 expected" };
    publishedAt = date;
  }
  const fields: LinkFields = {
    url: (body.url as string | null | undefined) ?? null,
    title: (body.title as string | null | undefined) ?? "",
    comment: (body.description as string | null | undefined) ?? "",
    tags: tagList,
    visibility: visibilityOf(body.private, account, current),
  };
  if (publishedAt !== undefined) fields.publishedAt = publishedAt;
  return { ok: true, fields };
}

/**
 * `private: true` is Glose's private. Otherwise the post keeps the non-private visibility it
 * has (an edit from a Shaarli app never widens a followers-only post), or takes the account's
 * default, or `public` when that default is private. Absent, `private` follows the default.
 */
function visibilityOf(flag: unknown, account: AccountRow, current?: Visibility): Visibility {
  const fallback = VISIBILITIES.find((visibility) => visibility === account.default_visibility) ?? "public";
  const isPrivate = flag === undefined || flag === null ? fallback === "private" : phpBoolean(flag);
  if (isPrivate) return "private";
  if (current !== undefined && current !== "private") return current;
  return fallback === "private" ? "public" : fallback;
}

/** PHP's filter_var(FILTER_VALIDATE_BOOLEAN), which Shaarli applies to `private`. */
function phpBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  if (typeof value === "string") return ["1", "true", "on", "yes"].includes(value.trim().toLowerCase());
  return false;
}

function failure(c: Context, result: Extract<PostResult, { ok: false }>, origin: string): Response {
  switch (result.error) {
    case "duplicate":
      // Shaarli answers 409 with the link that already has this URL.
      return c.json(formatLink(result.existing!, origin), 409);
    case "not-found":
      return apiError(c, 404, "Link not found");
    case "invalid-url":
      return apiError(c, 400, "Invalid url: an absolute http or https URL was expected");
    case "empty":
      return apiError(c, 400, "A link needs a url, a title or a description");
    case "too-long":
      return apiError(c, 400, "The title or the description is too long");
    case "invalid-visibility":
      return apiError(c, 400, "Invalid visibility");
  }
}

type Split = { included: string[]; excluded: string[] };

/** Shaarli's search terms: words or "quoted phrases", those after a `-` excluded. */
function splitTerms(text: string): Split {
  const split: Split = { included: [], excluded: [] };
  for (const [, phrase, word] of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = phrase ?? word!;
    if (word !== undefined && word.length > 1 && word.startsWith("-")) split.excluded.push(word.slice(1));
    else if (term.trim() !== "") split.included.push(term);
  }
  return split;
}

/** Shaarli's tag search: tags separated by spaces (`+` in a URL), those after a `-` excluded. */
function splitTags(text: string): Split {
  const split: Split = { included: [], excluded: [] };
  for (const word of text.split(/\s+/)) {
    const excluded = word.length > 1 && word.startsWith("-");
    (excluded ? split.excluded : split.included).push(...normalizeTags(excluded ? word.slice(1) : word));
  }
  return split;
}
