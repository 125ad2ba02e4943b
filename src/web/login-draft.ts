// A form posted after the owner's session ran out (the CSRF token matched: it came from this
// site): nothing is saved, the login form carries what was typed in hidden fields, and after the
// login the form comes back filled with it, saved only when the owner submits it again.
import type { Context } from "hono";
import { MAX_FIELDS } from "../services/profile.ts";
import { adminMessages } from "./admin-i18n.ts";
import type { WebEnv } from "./context.ts";
import { EDITOR_PATH } from "./editor-form.ts";
import { loginPage } from "./views/admin.ts";

type Form = Record<string, string | File | (string | File)[]>;

/** Which form a draft is for: the editor of a new post, of a post by id, or the settings. */
export type DraftTarget = { form: "editor"; postId?: string } | { form: "settings" };

const EDITOR_FIELDS = ["url", "title", "comment", "tags", "visibility", "language", "pinned", "source"];
const SETTINGS_FIELDS = [
  "display_name",
  "summary",
  ...Array.from({ length: MAX_FIELDS }, (_, i) => [`field_name_${i}`, `field_value_${i}`]).flat(),
  "default_visibility",
  "language",
  "locked",
  "interface_language",
];
const SETTINGS_PATH = /^\/admin\/settings\/?$/;
const PREFIX = "draft_";
/** The login form's field naming the draft's form: "editor:new", "editor:ID" or "settings". */
const TARGET = "draft";

/** The login form carrying the draft of a form posted without a session; undefined for other requests. */
export async function loginKeepingDraft(c: Context<WebEnv>): Promise<Response | undefined> {
  const target = targetOf(c.req.path);
  if (c.req.method !== "POST" || target === undefined) return undefined;
  const form = await c.req.parseBody();
  const draft: Record<string, string> = { [TARGET]: target };
  for (const name of fieldsOf(target)) {
    const value = form[name];
    if (typeof value === "string") draft[PREFIX + name] = value;
  }
  c.header("Cache-Control", "no-store");
  return c.html(loginPage({ csrf: c.get("csrf"), locale: c.get("locale"), notice: adminMessages(c.get("locale")).draftKept, draft }), 401);
}

/** The hidden fields of a draft a login form carried, to carry again when the password was wrong. */
export function carriedDraft(form: Form): Record<string, string> | undefined {
  const target = form[TARGET];
  if (typeof target !== "string" || parseTarget(target) === undefined) return undefined;
  const names = [TARGET, ...fieldsOf(target).map((name) => PREFIX + name)];
  return Object.fromEntries(names.flatMap((name) => (typeof form[name] === "string" ? [[name, form[name]]] : [])));
}

/** The draft a login form carried, if any: its form and its fields, named as that form names them. */
export function draftFromLogin(form: Form): { target: DraftTarget; fields: Record<string, string> } | undefined {
  const text = form[TARGET];
  const target = typeof text === "string" ? parseTarget(text) : undefined;
  if (target === undefined) return undefined;
  const fields: Record<string, string> = {};
  for (const name of fieldsOf(text as string)) {
    const value = form[PREFIX + name];
    if (typeof value === "string") fields[name] = value;
  }
  return { target, fields };
}

function targetOf(path: string): string | undefined {
  if (SETTINGS_PATH.test(path)) return "settings";
  const match = EDITOR_PATH.exec(path);
  if (match === null || match[1] === "preview") return undefined;
  return `editor:${match[1] ?? "new"}`;
}

function parseTarget(text: string): DraftTarget | undefined {
  if (text === "settings") return { form: "settings" };
  const match = /^editor:([A-Za-z0-9]+)$/.exec(text);
  if (match === null) return undefined;
  return match[1] === "new" ? { form: "editor" } : { form: "editor", postId: match[1] };
}

function fieldsOf(target: string): readonly string[] {
  return target === "settings" ? SETTINGS_FIELDS : EDITOR_FIELDS;
}
