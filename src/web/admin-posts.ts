// The editor's routes: new post, Shaarli-style share links, edit, preview (whole page or live),
// delete after a confirmation.
import { Hono, type Context } from "hono";
import type { Visibility } from "../../db/schema.ts";
import { normalizeUrl } from "../content/index.ts";
import { detectLanguage } from "../content/language.ts";
import { getAccount } from "../data/account.ts";
import { findLivePostByUrl, getPost, listTagNames, type PostRow } from "../data/posts.ts";
import {
  createPost,
  deletePost,
  editPost,
  MAX_COMMENT_LENGTH,
  MAX_TITLE_LENGTH,
  type PostError,
  type PostInput,
} from "../services/publishing.ts";
import { undoDelete } from "../services/undoing.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebDeps, WebEnv } from "./context.ts";
import { buildPreview, fetchCard } from "./editor-preview.ts";
import { EDITOR_PATH, readForm } from "./editor-form.ts";
import { previewContent } from "./views/editor-preview.ts";
import { deleteConfirmPage, editorPage, publishedPopupPage, type EditorField, type EditorValues, type EditorPreview } from "./views/editor.ts";

export function adminPostRoutes(deps: WebDeps): Hono<WebEnv> {
  const routes = new Hono<WebEnv>();

  routes.get("/posts/new", async (c) => render(deps, c, await defaults(deps), {}));

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
    return render(deps, c, values, { source: c.req.query("source") });
  });

  routes.get("/posts/:id/edit", async (c) => {
    const post = await getPost(deps.db, c.req.param("id"));
    if (post === undefined || post.deleted_at !== null) return c.notFound();
    const notice = c.req.query("already") ? adminMessages(c.get("locale")).alreadyPosted : undefined;
    return render(deps, c, valuesOf(post), { postId: post.id, notice });
  });

  // The live preview: both views rendered from the form as typed, nothing saved.
  routes.post("/posts/preview", async (c) => {
    const values = readForm(await c.req.parseBody());
    const locale = c.get("locale");
    c.header("Cache-Control", "no-store");
    // Nothing typed yet: nothing to show, rather than an empty post.
    if (values.url === "" && values.title.trim() === "" && values.comment.trim() === "") return c.html("");
    const { card } = await fetchCard(deps, values.url);
    const preview = await buildPreview(deps, values, card);
    return c.html(previewContent(adminMessages(locale), locale, preview));
  });

  const submit = async (c: Context<WebEnv>, postId?: string) => {
    const form = await c.req.parseBody();
    const values = readForm(form);
    const t = adminMessages(c.get("locale"));
    const action = String(form.action ?? "save");
    const source = typeof form.source === "string" ? form.source : undefined;
    if (action === "fetch-title" || action === "preview") {
      const { card, failure } = await fetchCard(deps, values.url);
      const filled = action === "fetch-title" && card?.title ? { ...values, title: card.title } : values;
      let notice: string | undefined;
      if (action === "fetch-title" && !card?.title) notice = failure === undefined || failure === "not-html" ? t.noTitle : t.unreachable(t.fetchFailures[failure]);
      return render(deps, c, filled, { postId, preview: await buildPreview(deps, filled, card), notice, source });
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
    if (result.ok) {
      return c.redirect(source === "bookmarklet" ? `/admin/posts/${result.post.id}/published` : `/p/${result.post.id}`, 303);
    }
    if (result.error === "duplicate" && result.existing) {
      return c.redirect(`/admin/posts/${result.existing.id}/edit?already=1`, 303);
    }
    const status = result.error === "not-found" ? 404 : 400;
    const { error, field } = describeError(t, result.error, values);
    return render(deps, c, values, { postId, error, errorField: field, source }, status);
  };

  routes.post("/posts", (c) => submit(c));
  routes.post("/posts/:id", (c) => submit(c, c.req.param("id")));

  routes.get("/posts/:id/published", (c) =>
    c.html(publishedPopupPage({ csrf: c.get("csrf"), locale: c.get("locale"), postId: c.req.param("id") })),
  );

  routes.get("/posts/:id/delete", async (c) => {
    const post = await getPost(deps.db, c.req.param("id"));
    if (post === undefined || post.deleted_at !== null) return c.notFound();
    return c.html(deleteConfirmPage({ csrf: c.get("csrf"), locale: c.get("locale"), postId: post.id, title: post.title, undoMinutes: undoMinutes(deps) }));
  });

  routes.post("/posts/:id/delete", async (c) => {
    const result = await deletePost(deps.publishing, c.req.param("id"));
    if (!result.ok) return c.notFound();
    return c.redirect("/admin?deleted=1", 303);
  });

  routes.post("/posts/:id/undo", async (c) => {
    const result = await undoDelete(deps.publishing, c.req.param("id"));
    return c.redirect(result.ok ? "/admin?restored=1" : `/admin?undo=${result.error}`, 303);
  });

  return routes;
}

/**
 * When a post form's CSRF token no longer matches (the page sat open too long, or the browser
 * forgot its cookie), the owner gets the editor back with what they typed, not a bare page.
 */
export function editorAfterExpiredToken(deps: WebDeps) {
  return async (c: Context<WebEnv>): Promise<Response | undefined> => {
    const match = EDITOR_PATH.exec(c.req.path);
    if (c.req.method !== "POST" || match === null || match[1] === "preview" || !c.get("owner")) return undefined;
    const form = await c.req.parseBody();
    const source = typeof form.source === "string" ? form.source : undefined;
    const t = adminMessages(c.get("locale"));
    return await render(deps, c, readForm(form), { postId: match[1], error: t.expiredForm, source }, 403);
  };
}

/**
 * After a login that carried the editor's draft (the session had run out as the owner posted it):
 * the editor filled with it, saved only when the owner presses Publish.
 */
export async function editorWithDraft(deps: WebDeps, c: Context<WebEnv>, postId: string | undefined, fields: Record<string, string>) {
  const notice = adminMessages(c.get("locale")).draftRestored;
  return await render(deps, c, readForm(fields), { postId, source: fields.source || undefined, notice });
}

async function render(
  deps: WebDeps,
  c: Context<WebEnv>,
  values: EditorValues,
  extra: { postId?: string; error?: string; errorField?: EditorField; notice?: string; preview?: EditorPreview; source?: string },
  status: 200 | 400 | 403 | 404 = 200,
): Promise<Response> {
  c.header("Cache-Control", "no-store");
  const page = editorPage({ csrf: c.get("csrf"), locale: c.get("locale"), values, knownTags: await listTagNames(deps.db), undoMinutes: undoMinutes(deps), ...extra });
  return c.html(page, status);
}

function undoMinutes(deps: WebDeps): number {
  return Math.ceil((deps.publishing.undoWindowMs ?? 0) / 60_000);
}

/** The error in the owner's language, naming the field and, when too long, the limit. */
function describeError(
  t: ReturnType<typeof adminMessages>,
  error: PostError,
  values: EditorValues,
): { error: string; field?: EditorField } {
  switch (error) {
    case "too-long": {
      const title = values.title.trim().length;
      if (title > MAX_TITLE_LENGTH) return { error: t.tooLong(t.title, MAX_TITLE_LENGTH, title), field: "title" };
      const comment = values.comment.replace(/\r\n?/g, "\n").trim().length;
      return { error: t.tooLong(t.commentary, MAX_COMMENT_LENGTH, comment), field: "comment" };
    }
    case "invalid-url":
      return { error: t.postErrors["invalid-url"], field: "url" };
    case "invalid-visibility":
      return { error: t.postErrors["invalid-visibility"], field: "visibility" };
    case "empty":
    case "duplicate":
    case "not-found":
      return { error: t.postErrors[error] };
  }
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
