// The editor's form: its paths, its fields as typed, and a draft carried through the login form
// when the owner's session ran out before they pressed Publish.
import type { Context } from "hono";
import type { Visibility } from "../../db/schema.ts";
import { normalizeTags } from "../content/index.ts";
import { VISIBILITIES } from "../services/publishing.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebEnv } from "./context.ts";
import { loginPage } from "./views/admin.ts";
import type { EditorValues } from "./views/editor.ts";

/** /admin/posts (a new post) and /admin/posts/ID (an edit), where the editor posts. */
export const EDITOR_PATH = /^\/admin\/posts(?:\/([A-Za-z0-9]+))?$/;

type Form = Record<string, string | File | (string | File)[]>;

export function readForm(form: Form): EditorValues {
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

const DRAFT_FIELDS = ["url", "title", "comment", "tags", "visibility", "language", "pinned", "source"] as const;
const DRAFT_PREFIX = "draft_";
/** The login form's field naming the draft's post: "new", or the id of the post being edited. */
const DRAFT_POST = "draft";

/**
 * A post of the editor without a valid session (the CSRF token matched: it came from this site):
 * the login form, carrying what was typed in hidden fields. Nothing is saved; after the login the
 * editor comes back filled with it. Other requests: undefined.
 */
export async function loginKeepingDraft(c: Context<WebEnv>): Promise<Response | undefined> {
  const match = EDITOR_PATH.exec(c.req.path);
  if (c.req.method !== "POST" || match === null || match[1] === "preview") return undefined;
  const form = await c.req.parseBody();
  const draft: Record<string, string> = { [DRAFT_POST]: match[1] ?? "new" };
  for (const name of DRAFT_FIELDS) {
    const value = form[name];
    if (typeof value === "string") draft[DRAFT_PREFIX + name] = value;
  }
  const t = adminMessages(c.get("locale"));
  c.header("Cache-Control", "no-store");
  return c.html(loginPage({ csrf: c.get("csrf"), locale: c.get("locale"), notice: t.draftKept, draft }), 401);
}

/** The hidden fields of a draft a login form carried, to carry again when the password was wrong. */
export function carriedDraft(form: Form): Record<string, string> | undefined {
  if (typeof form[DRAFT_POST] !== "string") return undefined;
  const names = [DRAFT_POST, ...DRAFT_FIELDS.map((name) => DRAFT_PREFIX + name)];
  return Object.fromEntries(names.flatMap((name) => (typeof form[name] === "string" ? [[name, form[name]]] : [])));
}

/** The draft a login form carried, if any: the post it is for (undefined: a new one) and its fields. */
export function draftFromLogin(form: Form): { postId?: string; values: EditorValues; source?: string } | undefined {
  const post = form[DRAFT_POST];
  if (typeof post !== "string" || !/^[A-Za-z0-9]+$/.test(post)) return undefined;
  const fields: Form = {};
  for (const name of DRAFT_FIELDS) {
    const value = form[DRAFT_PREFIX + name];
    if (typeof value === "string") fields[name] = value;
  }
  const source = fields.source;
  return { postId: post === "new" ? undefined : post, values: readForm(fields), source: typeof source === "string" && source !== "" ? source : undefined };
}
