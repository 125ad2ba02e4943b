// The files of web/static, kept in memory, each also under a name carrying a hash of its bytes
// (glose.3f2a9c81d0.css): pages link to that name, which browsers may keep for good. The plain
// name keeps working, briefly cached, for pages cached before the file changed. Any file put in
// the folder is served, its type taken from its extension.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { compress, isCompressible } from "./compression.ts";
import { etagOf, respond, type CachedAnswer } from "./read-cache.ts";

const FOLDER = new URL("./static/", import.meta.url);
const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  webp: "image/webp",
  jpg: "image/jpeg",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
};
export const IMMUTABLE = "public, max-age=31536000, immutable";
const UNVERSIONED = "public, max-age=300";

interface StaticFile {
  readonly name: string;
  readonly versionedName: string;
  readonly answer: CachedAnswer;
}

let files: { byName: Map<string, StaticFile>; byVersionedName: Map<string, StaticFile> } | undefined;

/** Read once (createApp asks first, at start) and compressed once, as well as brotli can. */
export function staticFiles() {
  if (files !== undefined) return files;
  const loaded = readdirSync(FOLDER, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => load(entry.name));
  files = {
    byName: new Map(loaded.map((file) => [file.name, file])),
    byVersionedName: new Map(loaded.map((file) => [file.versionedName, file])),
  };
  return files;
}

function load(name: string): StaticFile {
  const body = new Uint8Array(readFileSync(new URL(name, FOLDER)));
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  const type = TYPES[extension] ?? "application/octet-stream";
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
  const versionedName = dot > 0 ? `${name.slice(0, dot)}.${hash}.${name.slice(dot + 1)}` : `${name}.${hash}`;
  const compressible = isCompressible(type, body.byteLength);
  const encoded = compressible ? { br: compress(body, "br", 11), gzip: compress(body, "gzip") } : {};
  const answer: CachedAnswer = { status: 200, headers: { "content-type": type }, body, etag: etagOf(body), compressible, encoded };
  return { name, versionedName, answer };
}

/** The URL of a static file under its versioned name; pages use nothing else. */
export function staticUrl(name: string): string {
  const file = staticFiles().byName.get(name);
  if (file === undefined) throw new Error(`No static file named ${name}`);
  return `/static/${file.versionedName}`;
}

/** The answer to GET /static/:name, or undefined when there is no such file. */
export function staticAnswer(request: Request, name: string): Response | undefined {
  const { byName, byVersionedName } = staticFiles();
  const versioned = byVersionedName.get(name);
  if (versioned !== undefined) return respond(request, versioned.answer, IMMUTABLE, "");
  const plain = byName.get(name);
  return plain === undefined ? undefined : respond(request, plain.answer, UNVERSIONED, "");
}

/** The bytes of a static file, for answers built from them (the default icon). */
export function staticBytes(name: string): Uint8Array | undefined {
  return staticFiles().byName.get(name)?.answer.body;
}
