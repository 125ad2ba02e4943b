// Netscape bookmark files, as Shaarli, Pinboard, linkding, Postmarks, Firefox and Chrome write
// them, read as a stream: bookmarks come out chunk by chunk, so a large file is never held whole.
import { Parser } from "htmlparser2";
import type { ImportFailure } from "./import-failures.ts";
import { ImportFormatError, type ImportedLink } from "./imported-link.ts";

export const NETSCAPE_DOCTYPE = /^\s*<!DOCTYPE\s+NETSCAPE-Bookmark-file-1\s*>/i;

export interface NetscapeLimits {
  /** Folders inside folders: a deeper file is refused, not walked. */
  readonly maxDepth: number;
  readonly maxTitle: number;
  readonly maxDescription: number;
  readonly maxUrl: number;
}

export const DEFAULT_LIMITS: NetscapeLimits = { maxDepth: 100, maxTitle: 1_000, maxDescription: 100_000, maxUrl: 8_000 };

type Mode = "none" | "title" | "after-title" | "description" | "folder";

/** A failure found at the parser's position, which gives its line. */
type LineFailure =
  | { code: "title-too-long" | "description-too-long" | "folder-name-too-long" | "url-too-long" | "folders-too-deep"; limit: number }
  | { code: "folder-not-open" | "empty-link" };

/** Bookmarks of a Netscape file, in file order; throws an ImportFormatError naming the line. */
export async function* parseNetscape(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  limits: NetscapeLimits = DEFAULT_LIMITS,
): AsyncGenerator<ImportedLink> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const lines = new LineCounter();
  const ready: ImportedLink[] = [];
  const folders: (string | null)[] = [];
  let mode: Mode = "none";
  let current: { attribs: Record<string, string>; title: string; description: string; line: number } | null = null;
  let folderName = "";
  let nextFolder: string | null = null;
  let checkedHeader = false;
  let head = "";
  let bytes = 0;

  const fail = (failure: LineFailure, index = parser.startIndex): never => {
    throw new ImportFormatError({ ...failure, line: lines.lineAt(index) } as ImportFailure);
  };
  const finish = () => {
    if (current !== null) ready.push(toLink(current, folders, fail));
    current = null;
    mode = "none";
  };
  const append = (text: string) => {
    if (current === null && mode !== "folder") return;
    if (mode === "title" && current !== null) {
      current.title += text;
      if (current.title.length > limits.maxTitle) fail({ code: "title-too-long", limit: limits.maxTitle });
    } else if (mode === "description" && current !== null) {
      current.description += text;
      if (current.description.length > limits.maxDescription) fail({ code: "description-too-long", limit: limits.maxDescription });
    } else if (mode === "folder") {
      folderName += text;
      if (folderName.length > limits.maxTitle) fail({ code: "folder-name-too-long", limit: limits.maxTitle });
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        switch (name) {
          case "a":
            if (mode === "title") return;
            finish();
            if ((attribs.href ?? "").length > limits.maxUrl) fail({ code: "url-too-long", limit: limits.maxUrl });
            current = { attribs, title: "", description: "", line: lines.lineAt(parser.startIndex) };
            mode = "title";
            return;
          case "dd":
            if (mode === "after-title") mode = "description";
            return;
          case "br":
            if (mode === "description") append("\n");
            return;
          case "dt":
            finish();
            return;
          case "h3":
            finish();
            mode = "folder";
            folderName = "";
            return;
          case "dl":
            finish();
            if (folders.length >= limits.maxDepth) fail({ code: "folders-too-deep", limit: limits.maxDepth });
            folders.push(nextFolder);
            nextFolder = null;
            return;
        }
      },
      ontext: append,
      onclosetag(name) {
        if (name === "a" && mode === "title") mode = "after-title";
        else if (name === "h3" && mode === "folder") {
          nextFolder = folderName.replace(/\s+/g, " ").trim() || null;
          mode = "none";
        } else if (name === "dl") {
          finish();
          if (folders.length === 0) fail({ code: "folder-not-open" });
          folders.pop();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );

  const feed = (text: string) => {
    if (!checkedHeader) {
      head += text;
      if (head.length < 64 && !NETSCAPE_DOCTYPE.test(head)) return;
      if (!NETSCAPE_DOCTYPE.test(head)) throw new ImportFormatError({ code: "not-netscape" });
      checkedHeader = true;
      text = head;
      head = "";
    }
    lines.add(text);
    parser.write(text);
  };

  for await (const chunk of chunks) {
    let text: string;
    try {
      text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    } catch {
      throw new ImportFormatError({ code: "not-utf8", line: lines.lineAt(Infinity), byte: bytes });
    }
    bytes += typeof chunk === "string" ? chunk.length : chunk.byteLength;
    feed(text);
    yield* ready.splice(0);
  }
  try {
    feed(decoder.decode());
  } catch (error) {
    if (error instanceof ImportFormatError) throw error;
    throw new ImportFormatError({ code: "not-utf8-at-end", line: lines.lineAt(Infinity) });
  }
  if (!checkedHeader) {
    if (!NETSCAPE_DOCTYPE.test(head)) throw new ImportFormatError({ code: "not-netscape" });
    lines.add(head);
    parser.write(head);
  }
  const end = lines.lineAt(Infinity);
  if ((mode as Mode) === "title") throw new ImportFormatError({ code: "ends-inside-link", line: end });
  if (folders.length > 0) throw new ImportFormatError({ code: "ends-inside-folder", line: end });
  parser.end();
  finish();
  yield* ready.splice(0);
}

function toLink(
  entry: { attribs: Record<string, string>; title: string; description: string; line: number },
  folders: readonly (string | null)[],
  fail: (failure: LineFailure) => never,
): ImportedLink {
  const { attribs } = entry;
  const href = (attribs.href ?? "").trim();
  // Shaarli exports its notes with a link to themselves, relative when it has no prefix.
  const note = /^(\?[\w-]{6}|\/?shaare\/[\w-]{6})$/.exec(href);
  const tags = (attribs.tags ?? "").split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
  if (href === "" && entry.title.trim() === "") fail({ code: "empty-link" });
  return {
    url: note === null ? href || null : null,
    title: entry.title.replace(/\s+/g, " ").trim(),
    description: entry.description.replace(/\r\n?/g, "\n").trim(),
    tags,
    folders: folders.filter((folder): folder is string => folder !== null),
    createdAt: unixDate(attribs.add_date),
    updatedAt: unixDate(attribs.last_modified),
    private: attribs.private === "1",
    shortUrl: note === null ? null : note[1]!.replace(/^\/?(\?|shaare\/)/, ""),
    place: { unit: "line", number: entry.line },
  };
}

/** Seconds since 1970, as every writer uses; milliseconds or microseconds from a few, told by their size. */
function unixDate(value: string | undefined): Date | null {
  if (value === undefined || !/^\d{1,19}$/.test(value.trim())) return null;
  let n = Number(value.trim());
  if (n > 1e14) n /= 1000;
  const ms = n > 1e11 ? n : n * 1000;
  const date = new Date(ms);
  return ms > 0 && !Number.isNaN(date.getTime()) ? date : null;
}

/** Line numbers of character offsets in a stream of text, asked in increasing order. */
class LineCounter {
  #text = "";
  #start = 0;
  #line = 1;

  add(text: string): void {
    this.#text += text;
  }

  lineAt(index: number): number {
    const end = Math.min(index, this.#start + this.#text.length) - this.#start;
    for (let i = 0; i < end; i++) if (this.#text.charCodeAt(i) === 10) this.#line++;
    this.#text = this.#text.slice(Math.max(end, 0));
    this.#start += Math.max(end, 0);
    return this.#line;
  }
}
