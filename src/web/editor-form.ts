// The editor's form: the paths it posts to, and its fields as typed.
import type { Visibility } from "../../db/schema.ts";
import { normalizeTags } from "../content/index.ts";
import { VISIBILITIES } from "../services/publishing.ts";
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
