// Which format a file is in, and its links: a Netscape bookmark file streams, a Shaarli
// datastore.php (deflated as a whole) is read at once.
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { ImportFormatError, type ImportedLink } from "../content/imported-link.ts";
import { parseNetscape } from "../content/netscape.ts";
import { looksLikeDatastore, readShaarliDatastore } from "../content/shaarli-datastore.ts";

export type ImportFormat = "netscape" | "datastore";

export interface ImportSource {
  readonly format: ImportFormat;
  /** For the announcement: "Shaarli", "a bookmark file". */
  readonly name: string;
  readonly links: AsyncIterable<ImportedLink> | Iterable<ImportedLink>;
}

const MAX_DATASTORE_BYTES = 256 * 1024 * 1024;

export function detectFormat(head: Uint8Array): ImportFormat {
  return looksLikeDatastore(Buffer.from(head).toString("latin1").trimStart()) ? "datastore" : "netscape";
}

export async function sourceFromFile(path: string): Promise<ImportSource> {
  const handle = await open(path);
  let head: Uint8Array;
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (detectFormat(head) === "datastore") {
    if ((await stat(path)).size > MAX_DATASTORE_BYTES) throw new ImportFormatError({ code: "datastore-too-large" });
    return { format: "datastore", name: "Shaarli", links: readShaarliDatastore(await readFile(path)) };
  }
  return { format: "netscape", name: "a bookmark file", links: parseNetscape(createReadStream(path, { highWaterMark: 64 * 1024 })) };
}

export function sourceFromBytes(bytes: Uint8Array): ImportSource {
  if (detectFormat(bytes.subarray(0, 64)) === "datastore") {
    return { format: "datastore", name: "Shaarli", links: readShaarliDatastore(bytes) };
  }
  return { format: "netscape", name: "a bookmark file", links: parseNetscape(chunked(bytes)) };
}

function* chunked(bytes: Uint8Array, size = 64 * 1024): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
