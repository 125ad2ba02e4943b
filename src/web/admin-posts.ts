// The editor's routes: new post, Shaarli-style share links, edit, preview, delete.
import { Hono, type Context } from "hono";
import type { Visibility } from "../../db/schema.ts";
import {
  commentReferences,
  handleKey,
  htmlToText,
  normalizeTags,
  normalizeUrl,
  noteContent,
  renderMarkdown,
  tagPageUrl,
} from "../content/index.ts";
import { detectLanguage } from "../content/language.ts";
import { getAccount, type AccountRow } from "../data/account.ts";
import { findLivePostByUrl, getPost, listTagNames, type PostRow } from "../data/posts.ts";
import { fetchLinkPreview } from "../remote/link-preview.ts";
import { createPost, deletePost, editPost, resolveMentions, VISIBILITIES, type PostError, type PostInput } from "../services/publishing.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { editorPage, type EditorValues, type MastodonPreview } from "./views/editor.ts";

const POST_ERRORS: Record<PostError, string> = {
  "invalid-url": "The link must be an absolute http:// or https:// address.",
  empty: "A post needs a link, a title or a commentary.",
  "too-long": "The title or the commentary is too long.",
  "invalid-visibility": "Choose a visibility.",
  duplicate: "This link was already posted.",
  "not-found": "This post does not exist any more.",
};

export function adminPostRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();
  const host = new URL(deps.config.origin).host;

  const render = async (
    c: Context<WebEnv>,
    values: EditorValues,
    extra: { postId?: string; error?: string; notice?: string; preview?: MastodonPreview; source?: string },
    status: 200 | 400 | 404 | 409 = 200,
  ) => c.html(editorPage({ csrf: c.get("csrf"), values, knownTags: await listTagNames(deps.db), ...extra }), status);

  routes.get("/posts/new", async (c) => render(c, await defaults(deps), {}));

  // Shaarli's sharing URL, used by its bookmarklet and browser extensions.
  routes.get("/share", async (c) => {
    const url = c.req.query("post") ?? "";
    const normalized = normalizeUrl(url);
    const existing = normalized === null ? undefined : await findLivePostByUrl(deps.db, normalized);
    if (existing !== undefined) return c.redirect(`/admin/posts/${existing.id}/edit?already=1`, 303);
    const title = c.req.query("title") ?? "";
    const comment = c.req.query("description") ?? "";
    const initial = await defaults(deps);
    // The bookmarklet says nothing of the language: the page's title and excerpt tell, if clear.
    const values = { ...initial, url, title, comment, language: (await detectLanguage(`${title}\n${comment}`)) ?? initial.language };
    return render(c, values, { source: c.req.query("source") });
  });

  routes.get("/posts/:id/edit", async (c) => {
    const post = await getPost(deps.db, c.req.param("id"));
    if (post === undefined || post.deleted_at !== null) return c.notFound();
    const notice = c.req.query("already") ? "You had already posted this link: here it is." : undefined;
    return render(c, valuesOf(post), { postId: post.id, notice });
  });

  const submit = async (c: Context<WebEnv>, postId?: string) => {
    const form = await c.req.parseBody();
    const values = readForm(form);
    const action = String(form.action ?? "save");
    if (action === "fetch-title" || action === "preview") {
      const card = await linkCard(deps, values.url);
      const filled = action === "fetch-title" && card?.title ? { ...values, title: card.title } : values;
      const notice = action === "fetch-title" && !card?.title ? "The page gave no title." : undefined;
      const preview = { ...(await statusPreview(deps, filled, await getAccount(deps.db), host)), card };
      return render(c, filled, { postId, preview, notice });
    }
    const input: PostInput = {
      url: values.url,
      title: values.title,
      comment: values.comment,
      tags: values.tags,
      visibility: values.visibility,
      language: values.language,
      pinned: values.pinned,
    };
    const result = postId === undefined ? await createPost(deps.publishing, input) : await editPost(deps.publishing, postId, input);
    if (result.ok) return c.redirect(`/p/${result.post.id}`, 303);
    if (result.error === "duplicate" && result.existing) {
      return c.redirect(`/admin/posts/${result.existing.id}/edit?already=1`, 303);
    }
    const status = result.error === "not-found" ? 404 : 400;
    return render(c, values, { postId, error: POST_ERRORS[result.error] }, status);
  };

  routes.post("/posts", (c) => submit(c));
  routes.post("/posts/:id", (c) => submit(c, c.req.param("id")));

  routes.post("/posts/:id/delete", async (c) => {
    const result = await deletePost(deps.publishing, c.req.param("id"));
    if (!result.ok) return c.notFound();
    return c.redirect("/admin?deleted=1", 303);
  });

  return routes;
}

async function defaults(deps: WebDeps): Promise<EditorValues> {
  const account = await getAccount(deps.db);
  return {
    url: "",
    title: "",
    comment: "",
    tags: "",
    visibility: (account?.default_visibility as Visibility | undefined) ?? "public",
    language: account?.language ?? "en",
    pinned: false,
  };
}

function valuesOf(post: PostRow): EditorValues {
  return {
    url: post.url ?? "",
    title: post.url !== null && post.title === post.url ? "" : post.title,
    comment: post.comment,
    tags: post.tags.join(" "),
    visibility: post.visibility,
    language: post.language,
    pinned: post.pinned,
  };
}

function readForm(form: Record<string, string | File | (string | File)[]>): EditorValues {
  const text = (name: string) => {
    const value = form[name];
    return typeof value === "string" ? value : "";
  };
  const visibility = text("visibility") as Visibility;
  return {
    url: text("url").trim(),
    title: text("title"),
    comment: text("comment"),
    tags: normalizeTags(text("tags")).join(" "),
    visibility: VISIBILITIES.includes(visibility) ? visibility : "public",
    language: text("language").trim() || "en",
    pinned: text("pinned") === "on",
  };
}

/** The card Mastodon servers will build from the linked page, fetched the way they do. */
async function linkCard(deps: WebDeps, link: string): Promise<MastodonPreview["card"]> {
  const url = normalizeUrl(link);
  if (url === null) return null;
  const result = await fetchLinkPreview(url, { allowPrivateAddress: deps.config.allowPrivateAddress });
  return result.ok && result.preview.title ? result.preview : null;
}

/** The status as a Mastodon follower sees it, but for the card; its handles resolved as on saving. */
async function statusPreview(
  deps: WebDeps,
  values: EditorValues,
  account: AccountRow | undefined,
  host: string,
): Promise<Omit<MastodonPreview, "card">> {
  const url = normalizeUrl(values.url);
  const { handles, hashtags } = commentReferences(values.comment);
  const resolved = await resolveMentions(deps.publishing, handles);
  const mentions = new Map(resolved.map((mention) => [handleKey(mention.handle), mention]));
  const tagHref = (tag: string) => tagPageUrl(deps.config.origin, tag);
  const commentHtml = renderMarkdown(values.comment, { tagHref, mentions });
  const contentHtml = noteContent(
    { url, title: values.title.trim() || (url ?? ""), commentHtml, tags: normalizeTags([...normalizeTags(values.tags), ...hashtags]), language: values.language },
    tagHref,
  );
  return {
    mentions: handles.map((handle) => ({ handle, resolved: mentions.has(handleKey(handle)) })),
    displayName: account?.display_name || account?.username || "",
    handle: `@${account?.username ?? ""}@${host}`,
    avatarUrl: account?.avatar_url ?? null,
    contentHtml,
    length: htmlToText(contentHtml).length,
  };
}
