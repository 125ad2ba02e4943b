import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { fetchLinkPreview, type LinkPreviewResult } from "../../src/remote/link-preview.ts";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

const HTML = "text/html; charset=utf-8";
const MiB = 1024 * 1024;

function page(head: string, attributes = ""): string {
  return `<!doctype html><html${attributes}><head>${head}</head><body><p>Body text.</p></body></html>`;
}

/** Encodes text as windows-1252, which Node's Buffer cannot do (its "latin1" has no “ ” – €). */
function windows1252(text: string): Buffer {
  const above255: Record<string, number> = { "\u201c": 0x93, "\u201d": 0x94, "\u2013": 0x96, "\u20ac": 0x80 };
  return Buffer.from(Array.from(text, (char) => above255[char] ?? char.charCodeAt(0)));
}

function send(type: string, body: string | Buffer, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, { "content-type": type });
    res.end(body);
  };
}

function redirect(status: number, location: string): Route {
  return (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
}

/** Writes `head`, then `filler` until the client goes away or `limit` bytes are written. */
function stream(head: string, filler: string, limit = Infinity): Route {
  return (_req, res) => {
    res.writeHead(200, { "content-type": HTML });
    res.write(head);
    const chunk = Buffer.from(filler.repeat(Math.ceil(65536 / filler.length)));
    let written = 0;
    const pump = () => {
      while (!res.destroyed && written < limit) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}

const requests: IncomingMessage[] = [];
const routes: Record<string, Route> = {
  "/og": send(
    HTML,
    page(
      `<title>Plain title</title>
      <meta property="og:title" content="  The   OpenGraph
        title ">
      <meta property="og:description" content="What the article says.">
      <meta property="og:site_name" content="Example News">
      <meta property="og:image" content="https://cdn.example/cover.jpg">
      <meta property="og:image:alt" content="A cover picture">`,
      ` lang="en-GB"`,
    ),
  ),
  "/plain": send(HTML, page(`<title>Just a title</title><meta name="description" content="Just a description.">`)),
  "/json-ld": send(
    HTML,
    page(`
      <meta property="og:title" content="OpenGraph title">
      <meta property="og:description" content="OpenGraph description">
      <script type="application/ld+json">{ not json</script>
      <script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [
          {"@type": "WebSite", "@id": "https://news.example/#website", "description": "The site tagline"},
          {"@type": "Organization", "@id": "https://news.example/#org", "name": "News &amp; Co"},
          {"@type": "NewsArticle", "headline": "The JSON-LD headline", "description": "The JSON-LD description",
           "publisher": {"@id": "https://news.example/#org"}}
        ]}
      </script>`),
  ),
  "/json-ld-array": send(
    HTML,
    page(`<title>Fallback</title><script type="application/ld+json">
      [{"@type": "BreadcrumbList"}, {"@type": "BlogPosting", "headline": ["Array headline"], "publisher": {"name": "Blog"}}]
    </script>`),
  ),
  "/articles/relative-image": send(HTML, page(`<meta property="og:image" content="../images/cover.png?size=large">`)),
  "/data-image": send(
    HTML,
    page(`<title>T</title><meta property="og:image" content="data:image/png;base64,iVBORw0KGgo=">
      <meta property="og:image:alt" content="Never shown without an image">`),
  ),
  "/javascript-image": send(
    HTML,
    page(`<title>T</title><meta property="og:image" content="javascript:alert(1)">
      <meta name="twitter:image" content="/twitter.png">`),
  ),
  "/french": send(
    HTML,
    page(
      `<meta charset="utf-8"><title>L&eacute;a &amp; l&#8217;&eacute;t&eacute; : «&nbsp;Ça commence&nbsp;»</title>
      <meta name="description" content="Où l&#x2019;on découvre « les crêpes »&nbsp;!">`,
      ` lang="fr"`,
    ),
  ),
  "/cp1252-header": send(
    "text/html; charset=windows-1252",
    windows1252(page(`<title>Caf\u00e9 \u201cna\u00efve\u201d \u2013 \u20ac5</title>`)),
  ),
  "/cp1252-meta": send(
    "text/html",
    Buffer.concat([
      Buffer.from(`<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">`),
      windows1252("<title>R\u00e9sum\u00e9 \u201cx\u201d"),
      Buffer.from("</title></head><body></body></html>"),
    ]),
  ),
  "/long": send(HTML, page(`<title>${"word ".repeat(100)}</title><meta name="description" content="${"é".repeat(1500)}">`)),
  "/chain/1": redirect(302, "/chain/2"),
  "/chain/2": (req, res) => redirect(301, `http://${req.headers.host}/chain/final?x=1`)(req, res),
  "/chain/final": send(HTML, page(`<title>Arrived</title>`)),
  "/loop": redirect(302, "/loop"),
  "/ftp-redirect": redirect(302, "ftp://files.example/"),
  "/missing": send(HTML, page(`<title>Not found</title>`), 404),
  "/image": send("image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47])),
  "/huge": stream(page(`<title>Huge page</title>`).replace("<p>Body text.</p></body></html>", ""), "<p>filler</p>", 5 * MiB),
  "/forever": stream(`<!doctype html><html><head><title>Endless</title></head><body>`, "<p>more</p>"),
  "/endless-head": stream(`<!doctype html><html><head><title>Endless head</title>`, `<meta name="x" content="y">`),
  "/stalled-body": (_req, res) => {
    res.writeHead(200, { "content-type": HTML });
    res.write("<!doctype html><html><head><title>Stalled");
  },
  "/announced-huge": (_req, res) => {
    res.writeHead(200, { "content-type": HTML, "content-length": String(20 * MiB) });
    res.write("<!doctype html><html><head><title>Too large</title>");
  },
};

let server: Server;
let silent: Server;
let base = "";
let silentBase = "";

async function listen(handler: Route): Promise<[Server, string]> {
  const created = createServer(handler);
  await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", resolve));
  return [created, `http://127.0.0.1:${(created.address() as AddressInfo).port}`];
}

async function close(target: Server): Promise<void> {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
}

before(async () => {
  [server, base] = await listen((req, res) => {
    requests.push(req);
    const route = routes[new URL(req.url ?? "/", "http://x").pathname];
    if (route === undefined) send(HTML, "", 404)(req, res);
    else route(req, res);
  });
  // Accepts connections and requests, and never answers.
  [silent, silentBase] = await listen(() => {});
});

after(async () => {
  await close(server);
  await close(silent);
});

function preview(path: string, options: Partial<Parameters<typeof fetchLinkPreview>[1]> = {}) {
  return fetchLinkPreview(`${base}${path}`, { allowPrivateAddress: true, ...options });
}

function assertPreview(result: LinkPreviewResult) {
  assert.ok(result.ok, `expected a preview, got ${JSON.stringify(result)}`);
  return result.preview;
}

describe("fetchLinkPreview: what a card shows", () => {
  it("reads OpenGraph tags, sending Glose's Accept and User-Agent", async () => {
    const result = await preview("/og", { userAgent: "Glose/0.1.0 (+https://blog.example)" });
    assert.deepEqual(assertPreview(result), {
      url: `${base}/og`,
      title: "The OpenGraph title",
      description: "What the article says.",
      siteName: "Example News",
      image: "https://cdn.example/cover.jpg",
      imageAlt: "A cover picture",
      language: "en-GB",
    });
    const request = requests.at(-1);
    assert.equal(request?.headers.accept, "text/html,application/xhtml+xml");
    assert.equal(request?.headers["user-agent"], "Glose/0.1.0 (+https://blog.example)");
  });

  it("falls back to <title> and the meta description", async () => {
    assert.deepEqual(assertPreview(await preview("/plain")), {
      url: `${base}/plain`,
      title: "Just a title",
      description: "Just a description.",
    });
  });

  it("prefers the JSON-LD headline and description, skipping invalid JSON and resolving @graph references", async () => {
    const card = assertPreview(await preview("/json-ld"));
    assert.equal(card.title, "The JSON-LD headline");
    assert.equal(card.description, "The JSON-LD description");
    assert.equal(card.siteName, "News & Co");
  });

  it("reads JSON-LD given as an array", async () => {
    const card = assertPreview(await preview("/json-ld-array"));
    assert.equal(card.title, "Array headline");
    assert.equal(card.siteName, "Blog");
  });

  it("resolves a relative og:image against the page URL", async () => {
    assert.equal(assertPreview(await preview("/articles/relative-image")).image, `${base}/images/cover.png?size=large`);
  });

  it("drops data: and javascript: images", async () => {
    const data = assertPreview(await preview("/data-image"));
    assert.equal(data.image, undefined);
    assert.equal(data.imageAlt, undefined);
    assert.equal(assertPreview(await preview("/javascript-image")).image, `${base}/twitter.png`);
  });

  it("decodes entities and keeps French accents, guillemets and no-break spaces", async () => {
    assert.deepEqual(assertPreview(await preview("/french")), {
      url: `${base}/french`,
      title: "Léa & l’été : «\u00a0Ça commence\u00a0»",
      description: "Où l’on découvre « les crêpes »\u00a0!",
      language: "fr",
    });
  });

  it("decodes windows-1252 named by the Content-Type", async () => {
    assert.equal(assertPreview(await preview("/cp1252-header")).title, "Café “naïve” – €5");
  });

  it("decodes iso-8859-1 named by <meta http-equiv> (as windows-1252, like browsers)", async () => {
    assert.equal(assertPreview(await preview("/cp1252-meta")).title, "Résumé “x”");
  });

  it("caps the title at 300 and the description at 1000 characters, with an ellipsis", async () => {
    const card = assertPreview(await preview("/long"));
    assert.equal(card.title?.length, 300);
    assert.ok(card.title?.endsWith("word…"));
    assert.equal(card.description, `${"é".repeat(999)}…`);
  });
});

describe("fetchLinkPreview: HTTP", () => {
  it("follows a redirect chain (302 → 301 → 200) to the final URL", async () => {
    assert.deepEqual(assertPreview(await preview("/chain/1")), { url: `${base}/chain/final?x=1`, title: "Arrived" });
  });

  it("gives up on a redirect loop after maxRedirects", async () => {
    const before = requests.length;
    assert.deepEqual(await preview("/loop"), { ok: false, error: "too-many-redirects" });
    assert.equal(requests.length - before, 6);
  });

  it("refuses a redirect to a non-http URL", async () => {
    assert.deepEqual(await preview("/ftp-redirect"), { ok: false, error: "invalid-url" });
  });

  it("reports a 404 as an HTTP error with its status", async () => {
    assert.deepEqual(await preview("/missing"), { ok: false, error: "http-error", status: 404 });
  });

  it("refuses a response that is not HTML", async () => {
    assert.deepEqual(await preview("/image"), { ok: false, error: "not-html" });
  });

  it("times out on a server that never answers", async () => {
    const started = Date.now();
    const result = await fetchLinkPreview(`${silentBase}/`, { allowPrivateAddress: true, timeoutMs: 500 });
    assert.deepEqual(result, { ok: false, error: "timeout" });
    assert.ok(Date.now() - started < 3000);
  });

  it("times out on a body that stalls before the head ends", async () => {
    assert.deepEqual(await preview("/stalled-body", { timeoutMs: 500 }), { ok: false, error: "timeout" });
  });

  it("reads only the head of a 5 MiB page", async () => {
    assert.equal(assertPreview(await preview("/huge")).title, "Huge page");
  });

  it("stops reading a page that streams forever after its head", async () => {
    assert.equal(assertPreview(await preview("/forever", { timeoutMs: 5000 })).title, "Endless");
  });

  it("stops at maxBytes inside a head that never ends, and parses what arrived", async () => {
    const card = assertPreview(await preview("/endless-head", { maxBytes: 64 * 1024, timeoutMs: 5000 }));
    assert.equal(card.title, "Endless head");
  });

  it("refuses a body announced as more than ten times maxBytes", async () => {
    assert.deepEqual(await preview("/announced-huge"), { ok: false, error: "too-large" });
  });
});

describe("fetchLinkPreview: addresses", () => {
  it("refuses loopback addresses unless allowed", async () => {
    const port = new URL(base).port;
    for (const url of [`http://127.0.0.1:${port}/og`, `http://localhost:${port}/og`, `http://[::1]:${port}/og`]) {
      assert.deepEqual(await fetchLinkPreview(url, { allowPrivateAddress: false }), { ok: false, error: "private-address" });
    }
  });

  it("checks every redirect target before requesting it", async () => {
    const called: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      called.push(String(input));
      return new Response(null, { status: 302, headers: { location: "http://127.0.0.1/admin" } });
    };
    const result = await fetchLinkPreview("http://93.184.215.14/", { allowPrivateAddress: false, fetch: fakeFetch });
    assert.deepEqual(result, { ok: false, error: "private-address" });
    assert.deepEqual(called, ["http://93.184.215.14/"]);
  });

  it("refuses URLs that are not http(s)", async () => {
    for (const url of ["ftp://files.example/x", "javascript:alert(1)", "not a url", "http://user:secret@example.com/"]) {
      assert.deepEqual(await fetchLinkPreview(url, { allowPrivateAddress: true }), { ok: false, error: "invalid-url" });
    }
  });

  it("reports network trouble without throwing", async () => {
    const failing: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    assert.deepEqual(await fetchLinkPreview("http://93.184.215.14/", { allowPrivateAddress: false, fetch: failing }), {
      ok: false,
      error: "network",
    });
  });
});
