// Reading a page's <head> for its link card: OpenGraph, Twitter and JSON-LD metadata, the
// title and the language, fed incrementally as the bytes arrive.
import { getLogger } from "@logtape/logtape";
import { Parser } from "htmlparser2";

const logger = getLogger(["glose", "link-preview"]);

/** What a link card shows, every field cleaned (entities decoded, whitespace collapsed, capped). */
export interface LinkPreview {
  /** The final URL, after redirects. */
  url: string;
  title?: string;
  description?: string;
  siteName?: string;
  /** An absolute http(s) URL. */
  image?: string;
  imageAlt?: string;
  language?: string;
}

const MAX = { title: 300, description: 1000, siteName: 200, imageAlt: 1000, url: 2048 };

export /** Collects what a card needs from a page's <head>, fed incrementally. */
class HeadExtractor {
  readonly encoding: string;
  declaredEncoding: string | undefined;
  done = false;
  private readonly decoder: TextDecoder;
  private readonly parser: Parser;
  private readonly meta = new Map<string, string>();
  private readonly jsonLd: string[] = [];
  private title: string | undefined;
  private language: string | undefined;
  private base: string | undefined;
  private inTitle = false;
  private script: string | null = null;

  constructor(encoding: string) {
    this.encoding = encoding;
    this.decoder = new TextDecoder(encoding);
    this.parser = new Parser(
      {
        onopentag: (name, attributes) => this.open(name, attributes),
        ontext: (text) => this.text(text),
        onclosetag: (name) => this.close(name),
      },
      { decodeEntities: true },
    );
  }

  write(bytes: Uint8Array): void {
    if (!this.done) this.parser.write(this.decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    if (!this.done) this.parser.end(this.decoder.decode());
  }

  private open(name: string, attributes: Record<string, string>): void {
    if (this.done) return;
    if (name === "body") this.done = true;
    else if (name === "html") this.language ??= attributes.lang ?? attributes["xml:lang"];
    else if (name === "base") this.base ??= attributes.href;
    else if (name === "title" && this.title === undefined) this.startTitle();
    else if (name === "script" && attributes.type?.trim().toLowerCase() === "application/ld+json") this.script = "";
    else if (name === "meta") this.readMeta(attributes);
  }

  private startTitle(): void {
    this.inTitle = true;
    this.title = "";
  }

  private readMeta(attributes: Record<string, string>): void {
    const httpEquiv = attributes["http-equiv"]?.trim().toLowerCase();
    const charset = attributes.charset ?? (httpEquiv === "content-type" ? charsetOf(attributes.content) : undefined);
    // A <meta> can't truly declare UTF-16: the bytes that spelled it were ASCII (HTML spec).
    if (charset !== undefined) this.declaredEncoding ??= encodingFor(charset).replace(/^utf-16.*/, "utf-8");
    const { content } = attributes;
    if (content === undefined) return;
    // RDFa allows several properties in one attribute; pages also put OpenGraph names in `name`.
    const keys = `${attributes.property ?? ""} ${attributes.name ?? ""}`.toLowerCase().split(/\s+/);
    for (const key of keys) if (key !== "" && !this.meta.has(key)) this.meta.set(key, content);
  }

  private text(text: string): void {
    if (this.inTitle) this.title += text;
    else if (this.script !== null) this.script += text;
  }

  private close(name: string): void {
    if (name === "head") this.done = true;
    else if (name === "title") this.inTitle = false;
    else if (name === "script" && this.script !== null) {
      this.jsonLd.push(this.script);
      this.script = null;
    }
  }

  preview(url: URL): LinkPreview {
    const meta = (key: string) => this.meta.get(key);
    const data = structuredData(this.jsonLd);
    const base = parseHttpUrl(this.base ?? "", url) ?? url;
    const image = firstImage(base, [meta("og:image"), meta("og:image:url"), meta("og:image:secure_url"), meta("twitter:image")]);
    return withoutUndefined({
      url: url.href,
      title: firstText(MAX.title, data.headline, meta("og:title"), meta("twitter:title"), this.title),
      description: firstText(MAX.description, data.description, meta("og:description"), meta("twitter:description"), meta("description")),
      siteName: firstText(MAX.siteName, meta("og:site_name"), data.publisherName),
      image,
      imageAlt: image === undefined ? undefined : firstText(MAX.imageAlt, meta("og:image:alt")),
      language: languageTag(this.language),
    });
  }
}

/** Absent fields stay absent rather than `undefined`, so previews compare and serialize plainly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The first candidate that is not blank, cleaned and capped at `max` characters. */
function firstText(max: number, ...candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    // Control characters are invisible and PostgreSQL refuses NUL in text.
    const text = candidate
      ?.replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, "")
      // Only HTML whitespace: French no-break spaces around « » and before : ; ! ? must stay.
      .replace(/[\t\n\f\r ]+/g, " ")
      .trim();
    if (text === undefined || text === "") continue;
    const characters = Array.from(text);
    return characters.length <= max ? text : `${characters.slice(0, max - 1).join("").trimEnd()}…`;
  }
  return undefined;
}

function firstImage(base: URL, candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    const url = candidate === undefined ? null : parseHttpUrl(candidate, base);
    if (url !== null && url.href.length <= MAX.url) return url.href;
  }
  return undefined;
}

function languageTag(value: string | undefined): string | undefined {
  const tag = value?.trim().replaceAll("_", "-");
  return tag !== undefined && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) && tag.length <= 35 ? tag : undefined;
}

type JsonObject = Record<string, unknown>;

const CDATA_JUNK = /^\s*(\/\*\s*<!\[CDATA\[\s*\*\/|\/\/\s*<!\[CDATA\[|\/\*\s*\]\]>\s*\*\/|\/\/\s*\]\]>)\s*$/gm;
const MAIN_TYPES = new Set(["Article", "NewsArticle", "BlogPosting", "Report", "ScholarlyArticle", "TechArticle", "WebPage"]);

/**
 * The headline, description and publisher of a page's main JSON-LD node: the first one with a
 * headline, else the first article or web page. Scripts may hold an object, an array or an
 * @graph (Yoast's publisher is an {"@id"} reference into it); invalid JSON is skipped.
 */
function structuredData(scripts: string[]): { headline?: string; description?: string; publisherName?: string } {
  const nodes: JsonObject[] = [];
  for (const script of scripts) {
    try {
      collectNodes(JSON.parse(script.replace(CDATA_JUNK, "")), nodes);
    } catch (error) {
      logger.debug("Skipped invalid JSON-LD: {error}", { error });
    }
  }
  const main =
    nodes.find((node) => firstString(node.headline) !== undefined) ??
    nodes.find((node) => [node["@type"]].flat().some((type) => MAIN_TYPES.has(String(type))));
  if (main === undefined) return {};
  let publisher = first(main.publisher);
  if (isObject(publisher) && publisher.name === undefined && typeof publisher["@id"] === "string") {
    const id = publisher["@id"];
    publisher = nodes.find((node) => node["@id"] === id);
  }
  return {
    headline: decodeEntities(firstString(main.headline)),
    description: decodeEntities(firstString(main.description)),
    publisherName: decodeEntities(isObject(publisher) ? firstString(publisher.name) : undefined),
  };
}

function collectNodes(json: unknown, nodes: JsonObject[]): void {
  if (Array.isArray(json)) for (const item of json) collectNodes(item, nodes);
  else if (isObject(json)) {
    nodes.push(json);
    if (json["@graph"] !== undefined) collectNodes(json["@graph"], nodes);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function firstString(value: unknown): string | undefined {
  const item = first(value);
  return typeof item === "string" ? item : undefined;
}

/** JSON-LD strings often carry HTML entities (`&amp;`, `&#8217;`); decoded by htmlparser2's own decoder. */
function decodeEntities(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes("&")) return value;
  let text = "";
  new Parser({ ontext: (chunk) => (text += chunk) }, { decodeEntities: true }).end(value.replaceAll("<", "&lt;"));
  return text;
}

export function charsetOf(parameters: string | undefined): string | undefined {
  return parameters?.match(/charset\s*=\s*["']?([^"';\s]+)/i)?.[1];
}

/** The WHATWG name of a charset label, utf-8 for unknown labels. */
export function encodingFor(label: string | undefined): string {
  try {
    return new TextDecoder(label?.trim() || "utf-8").encoding;
  } catch {
    return "utf-8";
  }
}

/** An http(s) URL without credentials (fetch refuses those), or null. */
export function parseHttpUrl(value: string, base?: URL): URL | null {
  if (!URL.canParse(value.trim(), base)) return null;
  const url = new URL(value.trim(), base);
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username !== "" || url.password !== "" || url.hostname === "") return null;
  return url;
}
