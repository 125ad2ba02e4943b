// Reads every link of a live Shaarli through its REST API v1 (GET /api/v1/links, public and
// private), authenticated with a JWT signed with the instance's API secret.
import { ImportFormatError, type ImportedLink } from "../content/imported-link.ts";
import { signShaarliToken } from "../web/api/jwt.ts";

const PAGE_SIZE = 100;
const MAX_LINKS = 1_000_000;

export interface ShaarliApiOptions {
  /** The instance's address, e.g. https://links.example/ or https://example.org/shaarli/. */
  readonly url: string;
  readonly secret: string;
  readonly fetch?: typeof fetch;
}

/** Every link of the instance, oldest first; an ImportFormatError says what went wrong. */
export async function fetchShaarliLinks(options: ShaarliApiOptions): Promise<ImportedLink[]> {
  const base = shaarliBase(options.url);
  const get = options.fetch ?? fetch;
  const links: ImportedLink[] = [];
  for (let offset = 0; offset < MAX_LINKS; offset += PAGE_SIZE) {
    const url = new URL(`api/v1/links?offset=${offset}&limit=${PAGE_SIZE}&visibility=all`, base);
    let response: Response;
    try {
      response = await get(url, {
        headers: { Authorization: `Bearer ${signShaarliToken(options.secret)}`, Accept: "application/json" },
        redirect: "error",
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ImportFormatError({ code: "api-unreachable", host: base.host, reason: error instanceof Error ? error.message : String(error) });
    }
    if (response.status === 401) throw new ImportFormatError({ code: "api-secret-refused" });
    if (!response.ok) throw new ImportFormatError({ code: "api-status", path: url.pathname, status: response.status });
    let page: unknown;
    try {
      page = await response.json();
    } catch {
      throw new ImportFormatError({ code: "api-not-json", path: url.pathname });
    }
    if (!Array.isArray(page)) throw new ImportFormatError({ code: "api-not-array" });
    page.forEach((item, i) => links.push(toLink(item, offset + i + 1)));
    if (page.length < PAGE_SIZE) break;
  }
  return links.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

/** The instance's base URL, ending with a slash; http(s) only. */
export function shaarliBase(text: string): URL {
  const url = URL.canParse(text.trim()) ? new URL(text.trim()) : null;
  if (url === null || !["http:", "https:"].includes(url.protocol) || url.username !== "" || url.password !== "") {
    throw new ImportFormatError({ code: "api-bad-address" });
  }
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function toLink(item: unknown, index: number): ImportedLink {
  if (typeof item !== "object" || item === null) throw new ImportFormatError({ code: "api-not-object", link: index });
  const link = item as Record<string, unknown>;
  const text = (name: string): string => {
    const value = link[name];
    if (value === undefined || value === null) return "";
    if (typeof value !== "string") throw new ImportFormatError({ code: "api-field-not-text", link: index, field: name });
    return value;
  };
  const tags = Array.isArray(link.tags) ? link.tags.filter((tag): tag is string => typeof tag === "string") : [];
  const url = text("url").trim();
  const isNote = url === "" || /^(\?|\/?shaare\/)[\w-]+$/.test(url);
  return {
    url: isNote ? null : url,
    title: text("title").trim(),
    description: text("description").replace(/\r\n?/g, "\n").trim(),
    tags,
    folders: [],
    createdAt: date(text("created")),
    updatedAt: date(text("updated")),
    private: link.private === true,
    shortUrl: text("shorturl") || null,
    place: { unit: "link", number: index },
  };
}

function date(text: string): Date | null {
  const value = new Date(text);
  return text === "" || Number.isNaN(value.getTime()) ? null : value;
}
