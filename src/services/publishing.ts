// createPost / editPost / deletePost: validate, then write and federate in one transaction: the
// change and the queuing of its activity are saved together or not at all, so a crash never
// leaves a post that reaches no one, and a failure to queue fails the change (it throws).
import { getLogger } from "@logtape/logtape";
import type { LinkPreview, PostMention, Visibility } from "../../db/schema.ts";
import {
  commentReferences,
  handleKey,
  normalizeTags,
  normalizeUrl,
  renderMarkdown,
  tagPageUrl,
  type ResolvedMention,
} from "../content/index.ts";
import { detectLanguage } from "../content/language.ts";
import { getAccount } from "../data/account.ts";
import type { Db } from "../data/client.ts";
import { jsonb } from "../data/json.ts";
import { inTransaction } from "../data/transaction.ts";
import {
  findLivePostByUrl,
  getPost,
  insertPost,
  newPostId,
  recordHistory,
  setPostPreview,
  updatePost,
  type NewPost,
  type PostRow,
} from "../data/posts.ts";
import { findLivePostsByUrls, insertPosts } from "../data/bulk-posts.ts";
import { markDeleted } from "../data/deleted-posts.ts";
import { VISIBILITIES } from "./visibility.ts";

const logger = getLogger(["glose", "publishing"]);

export { VISIBILITIES };
export const MAX_TITLE_LENGTH = 1_000;
export const MAX_COMMENT_LENGTH = 100_000;

/** What followers' servers are told; implemented by federation/outbox.ts. */
export interface PostFederation {
  /** Sends Create(Note). */
  published(post: PostRow): Promise<void>;
  /** Sends Update(Note). */
  edited(post: PostRow): Promise<void>;
  /** Sends Delete(Tombstone) for the post's current Note id; with `holdMs`, that long from now. */
  withdrawn(post: PostRow, options?: { holdMs?: number }): Promise<void>;
  /** Takes back a held Delete of the post; false when it has already left. */
  cancelWithdrawal?(post: PostRow): Promise<boolean>;
  /**
   * Sends the post again to one inbox: its Create, or an Update where the Create was taken. False
   * when nobody it is for receives there any more.
   */
  redelivered?(post: PostRow, inbox: URL): Promise<boolean>;
}

export interface PublishingDeps {
  readonly db: Db;
  readonly federation: PostFederation;
  /** Fetches what the linked page says of itself, for the blog's link card; null on failure. */
  readonly fetchPreview?: (url: string) => Promise<LinkPreview | null>;
  /** The blog's origin, which `#tags` in a commentary link to; without it they stay text. */
  readonly origin?: string;
  /** Resolves `@user@server` handles (WebFinger); those it leaves out stay text. */
  readonly resolveMentions?: (handles: readonly string[]) => Promise<ResolvedMention[]>;
  /** How long a deletion may be undone, its Delete held back meanwhile; 0 or unset: no undo. */
  readonly undoWindowMs?: number;
}

export interface PostInput {
  readonly url?: string | null;
  readonly title?: string;
  readonly comment?: string;
  readonly tags?: string | readonly string[];
  readonly visibility?: Visibility;
  readonly language?: string;
  readonly pinned?: boolean;
  /** A date in the past for imported posts; they are not sent to followers' timelines. */
  readonly publishedAt?: Date;
}

export type PostError = "invalid-url" | "empty" | "too-long" | "invalid-visibility" | "duplicate" | "not-found";
export type PostResult = { ok: true; post: PostRow } | { ok: false; error: PostError; existing?: PostRow };

// Mastodon puts every delivered Create at the top of home timelines, whatever its date.
const BACKDATED_MS = 24 * 3600 * 1000;

export async function createPost(deps: PublishingDeps, input: PostInput): Promise<PostResult> {
  const account = await getAccount(deps.db);
  const fields = await validate(deps, input, {
    visibility: (account?.default_visibility as Visibility | undefined) ?? "public",
    // Shaarli apps, the bookmarklet and imports give no language: the text tells, if it is clear.
    language: (await detectLanguage(`${input.title ?? ""}\n${input.comment ?? ""}`)) ?? account?.language ?? "en",
    mentions: [],
  });
  if (!fields.ok) return fields;
  const backdated = input.publishedAt !== undefined && Date.now() - input.publishedAt.getTime() > BACKDATED_MS;
  const post = await inTransaction(deps.db, async () => {
    const post = await insertPost(deps.db, {
      id: newPostId(),
      ...fields.values,
      published_at: input.publishedAt,
      // An imported post counts as sent, so edits reach whoever fetched it, without a Create now.
      federated_at: backdated && fields.values.visibility !== "private" ? new Date() : null,
    });
    await recordHistory(deps.db, "CREATED", post.id);
    return post.visibility !== "private" && !backdated ? await federate(deps, post, "published") : post;
  });
  refreshPreview(deps, post);
  return { ok: true, post };
}

/**
 * Imported posts in bulk: each checked as createPost checks it, all written in one insert, none
 * sent to followers (they count as sent, so that later edits reach whoever fetched them). The
 * inputs must not repeat a URL among themselves. Results come in the inputs' order.
 */
export async function createImportedPosts(deps: PublishingDeps, inputs: readonly PostInput[]): Promise<PostResult[]> {
  const account = await getAccount(deps.db);
  const urls = inputs.map((input) => (input.url ? normalizeUrl(input.url) : null)).filter((url) => url !== null);
  const live = await findLivePostsByUrls(deps.db, urls);
  const results: (PostResult | NewPost)[] = [];
  for (const input of inputs) {
    const fields = await validate(
      deps,
      input,
      {
        visibility: (account?.default_visibility as Visibility | undefined) ?? "public",
        language: (await detectLanguage(`${input.title ?? ""}\n${input.comment ?? ""}`)) ?? account?.language ?? "en",
        mentions: [],
      },
      undefined,
      async (url) => live.get(url),
    );
    const values = fields.ok ? fields.values : null;
    results.push(values === null ? (fields as PostResult) : {
      id: newPostId(),
      ...values,
      published_at: input.publishedAt,
      federated_at: values.visibility === "private" ? null : new Date(),
    });
  }
  const inserted = await insertPosts(deps.db, results.filter((result): result is NewPost => !("ok" in result)));
  let next = 0;
  return results.map((result) => ("ok" in result ? result : { ok: true, post: inserted[next++]! }));
}

export async function editPost(deps: PublishingDeps, id: string, input: PostInput): Promise<PostResult> {
  const before = await getPost(deps.db, id);
  if (before === undefined || before.deleted_at !== null) return { ok: false, error: "not-found" };
  const fields = await validate(
    deps,
    {
      url: before.url,
      title: before.title,
      comment: before.comment,
      tags: before.tags,
      pinned: before.pinned,
      ...definedOnly(input),
    },
    // Whoever was sent the post hears of its edits, even once no longer mentioned (as on Mastodon).
    { visibility: before.visibility, language: before.language, mentions: before.federated_at === null ? [] : before.mentions },
    before.id,
  );
  if (!fields.ok) return fields;
  const post = await inTransaction(deps.db, async () => {
    const post = (await updatePost(deps.db, id, {
      ...fields.values,
      published_at: input.publishedAt ?? before.published_at,
      updated_at: new Date(),
    }))!;
    await recordHistory(deps.db, "UPDATED", post.id);
    const wasSent = before.federated_at !== null;
    if (wasSent && post.visibility === "private") return await federate(deps, before, "withdrawn");
    if (wasSent) return await federate(deps, post, "edited");
    if (post.visibility !== "private") return await federate(deps, post, "published");
    return post;
  });
  if (post.url !== before.url) refreshPreview(deps, post);
  return { ok: true, post };
}

export async function deletePost(deps: PublishingDeps, id: string): Promise<PostResult> {
  const before = await getPost(deps.db, id);
  if (before === undefined || before.deleted_at !== null) return { ok: false, error: "not-found" };
  const holdMs = deps.undoWindowMs ?? 0;
  const post = await inTransaction(deps.db, async () => {
    const post = await markDeleted(deps.db, id);
    if (post === undefined) return undefined;
    await recordHistory(deps.db, "DELETED", post.id);
    if (before.federated_at === null) return post;
    // A held Delete keeps the Note id and federated_at: an undo brings the very same Note back.
    if (holdMs > 0) await deps.federation.withdrawn(before, { holdMs });
    else await federate(deps, before, "withdrawn");
    return post;
  });
  return post === undefined ? { ok: false, error: "not-found" } : { ok: true, post };
}

/**
 * Fetches the linked page once, in the background, after the post is saved: a page that is slow
 * or fails to load never delays or undoes the post.
 */
function refreshPreview(deps: PublishingDeps, post: PostRow): void {
  const { fetchPreview } = deps;
  if (fetchPreview === undefined) return;
  const url = post.url;
  const task = async () => {
    const preview = url === null ? null : await fetchPreview(url);
    await setPostPreview(deps.db, post.id, url, preview);
  };
  task().catch((error) => logger.warn("Link preview of post {id} failed: {error}", { id: post.id, error }));
}

/**
 * Queues the activity for followers, then records it; called inside the change's transaction, so a
 * failure to queue undoes the change. A Delete bumps the generation: a later Create needs a new id.
 */
async function federate(deps: PublishingDeps, post: PostRow, event: "published" | "edited" | "withdrawn"): Promise<PostRow> {
  await deps.federation[event](post);
  const changes =
    event === "withdrawn" ? { federated_at: null, generation: post.generation + 1 } : { federated_at: new Date() };
  return (await updatePost(deps.db, post.id, changes)) ?? post;
}

/** A handle that does not resolve, or a resolver that fails, leaves text: it never blocks saving. */
export async function resolveMentions(deps: PublishingDeps, handles: readonly string[]): Promise<ResolvedMention[]> {
  if (handles.length === 0 || deps.resolveMentions === undefined) return [];
  try {
    const resolved = await deps.resolveMentions(handles);
    const typed = new Set(handles.map(handleKey));
    return resolved.filter((mention) => typed.has(handleKey(mention.handle)));
  } catch (error) {
    logger.warn("Could not resolve the mentions {handles}: {error}", { handles, error });
    return [];
  }
}

/** The mentions of the text, then those it dropped, kept silent. */
function withSilent(mentions: readonly ResolvedMention[], previous: readonly PostMention[]): PostMention[] {
  const current = new Set(mentions.map((mention) => mention.actorId));
  const dropped = previous.filter((mention) => !current.has(mention.actorId));
  return [...mentions, ...dropped.map((mention) => ({ ...mention, silent: true }))];
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

type PostValues = Pick<PostRow, "url" | "title" | "comment" | "comment_html" | "tags" | "visibility" | "language" | "pinned"> & {
  mentions: ReturnType<typeof jsonb>;
};
type Validated = { ok: true; values: PostValues } | { ok: false; error: PostError; existing?: PostRow };

async function validate(
  deps: PublishingDeps,
  input: PostInput,
  defaults: { visibility: Visibility; language: string; mentions: readonly PostMention[] },
  editing?: string,
  livePostByUrl: (url: string) => Promise<PostRow | undefined> = (url) => findLivePostByUrl(deps.db, url),
): Promise<Validated> {
  let url: string | null = null;
  if (input.url !== undefined && input.url !== null && input.url.trim() !== "") {
    url = normalizeUrl(input.url);
    if (url === null) return { ok: false, error: "invalid-url" };
    const existing = await livePostByUrl(url);
    if (existing !== undefined && existing.id !== editing) return { ok: false, error: "duplicate", existing };
  }
  const title = (input.title ?? "").trim() || (url ?? "");
  const comment = (input.comment ?? "").replace(/\r\n?/g, "\n").trim();
  if (title === "" && comment === "") return { ok: false, error: "empty" };
  if (title.length > MAX_TITLE_LENGTH || comment.length > MAX_COMMENT_LENGTH) return { ok: false, error: "too-long" };
  const visibility = input.visibility ?? defaults.visibility;
  if (!VISIBILITIES.includes(visibility)) return { ok: false, error: "invalid-visibility" };
  const { handles, hashtags } = commentReferences(comment);
  const mentions = await resolveMentions(deps, handles);
  const { origin } = deps;
  const tagHref = origin === undefined ? undefined : (tag: string) => tagPageUrl(origin, tag);
  return {
    ok: true,
    values: {
      url,
      title,
      comment,
      comment_html: renderMarkdown(comment, { tagHref, mentions: new Map(mentions.map((m) => [handleKey(m.handle), m])) }),
      mentions: jsonb(withSilent(mentions, defaults.mentions)),
      // Hashtags typed in the commentary are tags of the post too.
      tags: normalizeTags([...normalizeTags(input.tags ?? []), ...hashtags]),
      visibility,
      language: (input.language ?? defaults.language).trim() || defaults.language,
      pinned: input.pinned ?? false,
    },
  };
}
