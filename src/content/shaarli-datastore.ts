// Shaarli's own data file, for owners whose instance is gone: `<?php /* ` + base64(gzdeflate(
// serialize(links))) + ` */ ?>`. Old versions serialize an array of arrays (LinkDB), newer ones
// Shaarli\Bookmark\Bookmark objects, possibly inside a BookmarkArray.
import { inflateRawSync } from "node:zlib";
import { Temporal } from "../temporal.ts";
import { ImportFormatError, type ImportedLink } from "./imported-link.ts";
import { isPhpObject, PhpFormatError, unserializePhp, type PhpArray, type PhpValue } from "./php-unserialize.ts";

const PREFIX = "<?php /* ";
const SUFFIX = " */ ?>";

/** Whether a file's first bytes are those of a datastore.php. */
export function looksLikeDatastore(head: string): boolean {
  return head.startsWith(PREFIX);
}

/** The links of a datastore.php, oldest first; an ImportFormatError says what is wrong. */
export function readShaarliDatastore(file: Uint8Array, maxInflated = 512 * 1024 * 1024): ImportedLink[] {
  const text = Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString("latin1").trim();
  if (!text.startsWith(PREFIX) || !text.endsWith(SUFFIX)) {
    throw new ImportFormatError({ code: "not-datastore" });
  }
  const encoded = text.slice(PREFIX.length, -SUFFIX.length).trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new ImportFormatError({ code: "not-base64" });
  let serialized: Buffer;
  try {
    serialized = inflateRawSync(Buffer.from(encoded, "base64"), { maxOutputLength: maxInflated });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    throw new ImportFormatError(tooLarge ? { code: "inflates-too-large", limit: maxInflated } : { code: "not-deflated" });
  }
  let value: PhpValue;
  try {
    value = unserializePhp(serialized);
  } catch (error) {
    if (error instanceof PhpFormatError) throw new ImportFormatError({ code: "unserialize", php: error.failure });
    throw error;
  }
  if (isPhpObject(value) && value.properties.get("bookmarks") instanceof Map) value = value.properties.get("bookmarks")!;
  if (!(value instanceof Map)) throw new ImportFormatError({ code: "not-link-list" });
  const links: ImportedLink[] = [];
  let index = 0;
  for (const entry of value.values()) {
    index++;
    links.push(toLink(entry, index));
  }
  return links.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

function toLink(entry: PhpValue, index: number): ImportedLink {
  const fields: PhpArray | undefined = entry instanceof Map ? entry : isPhpObject(entry) ? entry.properties : undefined;
  if (fields === undefined) throw new ImportFormatError({ code: "entry-not-link", entry: index });
  const text = (name: string): string => {
    const value = fields.get(name);
    if (value === undefined || value === null) return "";
    if (typeof value === "string" || typeof value === "number") return String(value);
    throw new ImportFormatError({ code: "entry-field-not-text", entry: index, field: name });
  };
  const rawTags = fields.get("tags");
  const tags = rawTags instanceof Map ? [...rawTags.values()].map(String) : text("tags").split(/\s+/);
  const url = text("url").trim();
  const shortUrl = text("shorturl") || text("shortUrl");
  // A note's URL is its own permalink: `?hash` or `/shaare/hash`.
  const isNote = url === "" || /^(\?|\/?shaare\/)[\w-]+$/.test(url);
  const createdAt = phpDate(fields.get("created"), index) ?? linkDate(text("linkdate"));
  return {
    url: isNote ? null : url,
    title: text("title").trim(),
    description: text("description").replace(/\r\n?/g, "\n").trim(),
    tags: tags.filter((tag) => tag !== ""),
    folders: [],
    createdAt,
    updatedAt: phpDate(fields.get("updated"), index),
    private: Boolean(fields.get("private")),
    shortUrl: shortUrl === "" ? null : shortUrl,
    place: { unit: "entry", number: index },
  };
}

/** A serialized PHP DateTime: local date and time with its zone (an offset, an abbreviation or a name). */
function phpDate(value: PhpValue | undefined, index: number): Date | null {
  if (!isPhpObject(value)) return null;
  const date = value.properties.get("date");
  const zone = value.properties.get("timezone");
  if (typeof date !== "string" || typeof zone !== "string") return null;
  const local = date.replace(" ", "T");
  try {
    const timeZone = /^[+-]\d\d:\d\d$/.test(zone) ? zone : zone === "Z" || /^[A-Z]{1,5}$/.test(zone) ? "UTC" : zone;
    const instant = Temporal.PlainDateTime.from(local).toZonedDateTime(timeZone).toInstant();
    return new Date(instant.epochMilliseconds);
  } catch {
    throw new ImportFormatError({ code: "entry-bad-date", entry: index, date: `${date} ${zone}` });
  }
}

/** LinkDB's key and `linkdate`: `20130101_123456`, the server's local time, taken as UTC. */
function linkDate(value: string): Date | null {
  const match = /^(\d{4})(\d\d)(\d\d)_(\d\d)(\d\d)(\d\d)$/.exec(value);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
