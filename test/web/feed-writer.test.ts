// Atom and RSS rendering: the structure each format requires, dates, content that reads back
// exactly, and documents that stay well-formed whatever a title, tag or URL holds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomUtils, parseDocument, parseFeed } from "htmlparser2";
import { ATOM_NS, renderAtom, renderRss, xmlAttribute, xmlChars, xmlText, type FeedEntry, type FeedInput } from "../../src/web/feed-writer.ts";
import { VERSION } from "../../src/version.ts";
import { xssVectors } from "../fixtures/xss-vectors.ts";

type Node = ReturnType<typeof DomUtils.getElementsByTagName>[number];

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const RFC_822 = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (?:GMT|[+-]\d{4})$/;

const CONTENT = `<p><a href="https://example.org/a?b=1&amp;c=2">Un « lien »</a></p><p>L’été &lt;déjà&gt; ]]&gt; <code>a &amp;&amp; b</code> 🦣</p>`;

function entry(overrides: Partial<FeedEntry> = {}): FeedEntry {
  return {
    id: "https://blog.example/p/abcd2345",
    url: "https://blog.example/p/abcd2345",
    link: "https://example.org/a?b=1&c=2",
    title: "Un « lien » l’été",
    html: CONTENT,
    tags: ["économie", "web"],
    published: new Date("2026-03-01T08:00:00Z"),
    updated: null,
    language: "fr",
    ...overrides,
  };
}

function feed(overrides: Partial<FeedInput> = {}): FeedInput {
  return {
    title: "Le sblog",
    subtitle: "Des liens commentés.",
    siteUrl: "https://blog.example/",
    feedUrl: "https://blog.example/feed.atom",
    alternateFeedUrl: "https://blog.example/feed.rss",
    language: "fr",
    author: { name: "Camille", url: "https://blog.example/" },
    icon: "https://blog.example/media/avatar",
    tagScheme: "https://blog.example/tags/",
    updated: new Date("2026-03-02T10:30:00Z"),
    entries: [
      entry({ updated: new Date("2026-03-02T10:30:00Z") }),
      entry({ id: "https://blog.example/p/note2345", url: "https://blog.example/p/note2345", link: null, title: "A note", tags: [], language: "en" }),
    ],
    ...overrides,
  };
}

/**
 * A strict check for the XML subset the feeds use (a declaration, elements, double-quoted
 * attributes, text, references): htmlparser2 forgives mistakes, so this does not rely on it.
 */
function assertWellFormed(xml: string): void {
  assert.doesNotMatch(xml, /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u, "only XML 1.0 characters");
  assert.doesNotMatch(xml, /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/, "every & starts a reference");
  const token = /<\?xml [^?<>]*\?>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*(\/?)>|[^<]+/y;
  const stack: string[] = [];
  let roots = 0;
  let position = 0;
  while (position < xml.length) {
    token.lastIndex = position;
    const match = token.exec(xml);
    assert.ok(match, `markup at ${position}: ${JSON.stringify(xml.slice(position, position + 40))}`);
    position = token.lastIndex;
    const [text, closing, name, attributes, selfClosing] = match;
    if (name === undefined) {
      if (!text.startsWith("<?xml")) assert.ok(stack.length > 0 || text.trim() === "", `text outside the root: ${JSON.stringify(text)}`);
      else assert.equal(match.index, 0, "the declaration comes first");
      continue;
    }
    const names = [...(attributes ?? "").matchAll(/\s+([\w:.-]+)="[^"]*"/g)].map((attribute) => attribute[1]);
    assert.equal(new Set(names).size, names.length, `no attribute twice on <${name}>`);
    if (closing) {
      assert.equal(stack.pop(), name, `</${name}> closes the open element`);
      continue;
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(name);
  }
  assert.deepEqual(stack, [], "every element closed");
  assert.equal(roots, 1, "one root element");
}

function parse(xml: string) {
  assertWellFormed(xml);
  return parseDocument(xml, { xmlMode: true });
}

function children(parent: Node, name: string): Node[] {
  return DomUtils.getElementsByTagName(name, parent.children, false);
}

function child(parent: Node, name: string): Node {
  const found = children(parent, name);
  assert.equal(found.length, 1, `one <${name}> in <${parent.name}>`);
  return found[0]!;
}

const text = (node: Node) => DomUtils.textContent(node);
const names = (root: Node) => new Set(DomUtils.getElementsByTagName(() => true, root).map((node) => node.name));

const ATOM_ELEMENTS = new Set(["feed", "id", "title", "subtitle", "updated", "author", "name", "uri", "link", "generator", "icon", "entry", "published", "category", "content"]);
const RSS_ELEMENTS = new Set(["rss", "channel", "title", "link", "description", "language", "lastBuildDate", "atom:link", "generator", "docs", "image", "url", "item", "guid", "comments", "category", "pubDate"]);

describe("renderAtom", () => {
  it("writes an Atom 1.0 feed with every required element", () => {
    const xml = renderAtom(feed());
    assert.ok(xml.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<feed `));
    const root = parse(xml).children.find((node) => node.type === "tag") as Node;
    assert.equal(root.name, "feed");
    assert.equal(root.attribs.xmlns, ATOM_NS);
    assert.equal(root.attribs["xml:lang"], "fr");
    assert.equal(text(child(root, "id")), "https://blog.example/feed.atom");
    assert.equal(text(child(root, "title")), "Le sblog");
    assert.equal(child(root, "title").attribs.type, "text");
    assert.equal(text(child(root, "subtitle")), "Des liens commentés.");
    assert.equal(text(child(root, "updated")), "2026-03-02T10:30:00.000Z");
    const author = child(root, "author");
    assert.equal(text(child(author, "name")), "Camille");
    assert.equal(text(child(author, "uri")), "https://blog.example/");
    const links = children(root, "link").map((link) => link.attribs);
    assert.deepEqual(links, [
      { rel: "self", type: "application/atom+xml", href: "https://blog.example/feed.atom" },
      { rel: "alternate", type: "text/html", href: "https://blog.example/" },
      { rel: "alternate", type: "application/rss+xml", href: "https://blog.example/feed.rss" },
    ]);
    assert.equal(text(child(root, "generator")), "Glose");
    assert.equal(child(root, "generator").attribs.version, VERSION);
    assert.equal(text(child(root, "icon")), "https://blog.example/media/avatar");
    assert.deepEqual(names(root), ATOM_ELEMENTS);
  });

  it("writes each entry: id, title, links, dates, categories, escaped HTML content", () => {
    const root = parse(renderAtom(feed())).children.find((node) => node.type === "tag") as Node;
    const [edited, note] = children(root, "entry");
    assert.ok(edited && note);
    assert.equal(text(child(edited, "id")), "https://blog.example/p/abcd2345");
    assert.equal(text(child(edited, "title")), "Un « lien » l’été");
    assert.equal(child(edited, "title").attribs.type, "text");
    assert.deepEqual(children(edited, "link").map((link) => link.attribs), [
      { rel: "alternate", type: "text/html", href: "https://blog.example/p/abcd2345" },
      { rel: "related", href: "https://example.org/a?b=1&c=2" },
    ]);
    assert.equal(text(child(edited, "published")), "2026-03-01T08:00:00.000Z");
    assert.equal(text(child(edited, "updated")), "2026-03-02T10:30:00.000Z");
    assert.deepEqual(children(edited, "category").map((category) => category.attribs), [
      { term: "économie", label: "économie", scheme: "https://blog.example/tags/" },
      { term: "web", label: "web", scheme: "https://blog.example/tags/" },
    ]);
    assert.equal(child(edited, "content").attribs.type, "html");
    assert.equal(text(child(edited, "content")), CONTENT);
    assert.equal(edited.attribs["xml:lang"], undefined, "same language as the feed");

    assert.equal(text(child(note, "updated")), text(child(note, "published")), "never edited: updated = published");
    assert.deepEqual(children(note, "link").map((link) => link.attribs.rel), ["alternate"], "no related link without one");
    assert.equal(note.attribs["xml:lang"], "en");
    for (const date of DomUtils.getElementsByTagName((name) => name === "updated" || name === "published", root)) {
      assert.match(text(date), RFC_3339);
      assert.ok(!Number.isNaN(Date.parse(text(date))));
    }
  });

  it("is read by a feed parser as an Atom feed", () => {
    const parsed = parseFeed(renderAtom(feed()), { xmlMode: true });
    assert.equal(parsed?.type, "atom");
    assert.equal(parsed?.title, "Le sblog");
    assert.equal(parsed?.items.length, 2);
    assert.equal(parsed?.items[0]?.id, "https://blog.example/p/abcd2345");
    assert.equal(parsed?.items[0]?.description, CONTENT);
  });

  it("leaves out what the blog lacks and writes an empty feed", () => {
    const root = parse(renderAtom(feed({ subtitle: "", icon: null, alternateFeedUrl: undefined, tagScheme: undefined, entries: [] })));
    assert.deepEqual(names(root.children.find((node) => node.type === "tag") as Node), new Set(["feed", "id", "title", "updated", "author", "name", "uri", "link", "generator"]));
  });
});

describe("renderRss", () => {
  it("writes an RSS 2.0 channel with every required element", () => {
    const xml = renderRss(feed({ feedUrl: "https://blog.example/feed.rss", alternateFeedUrl: "https://blog.example/feed.atom" }));
    const root = parse(xml).children.find((node) => node.type === "tag") as Node;
    assert.equal(root.name, "rss");
    assert.equal(root.attribs.version, "2.0");
    assert.equal(root.attribs["xmlns:atom"], ATOM_NS);
    const channel = child(root, "channel");
    assert.equal(text(child(channel, "title")), "Le sblog");
    assert.equal(text(child(channel, "link")), "https://blog.example/");
    assert.equal(text(child(channel, "description")), "Des liens commentés.");
    assert.equal(text(child(channel, "language")), "fr");
    assert.equal(text(child(channel, "lastBuildDate")), "Mon, 02 Mar 2026 10:30:00 GMT");
    assert.deepEqual(children(channel, "atom:link").map((link) => link.attribs), [
      { rel: "self", type: "application/rss+xml", href: "https://blog.example/feed.rss" },
      { rel: "alternate", type: "application/atom+xml", href: "https://blog.example/feed.atom" },
    ]);
    assert.equal(text(child(channel, "generator")), `Glose ${VERSION}`);
    const image = child(channel, "image");
    assert.deepEqual([text(child(image, "url")), text(child(image, "title")), text(child(image, "link"))], ["https://blog.example/media/avatar", "Le sblog", "https://blog.example/"]);
    assert.deepEqual(names(root), RSS_ELEMENTS);
  });

  it("writes each item: shared link or permalink, permalink guid, escaped HTML, categories, RFC 822 dates", () => {
    const root = parse(renderRss(feed())).children.find((node) => node.type === "tag") as Node;
    const [link, note] = children(child(root, "channel"), "item");
    assert.ok(link && note);
    assert.equal(text(child(link, "title")), "Un « lien » l’été");
    assert.equal(text(child(link, "link")), "https://example.org/a?b=1&c=2");
    assert.equal(text(child(link, "guid")), "https://blog.example/p/abcd2345");
    assert.equal(child(link, "guid").attribs.isPermaLink, "true");
    assert.equal(text(child(link, "comments")), "https://blog.example/p/abcd2345");
    assert.equal(text(child(link, "description")), CONTENT);
    assert.deepEqual(children(link, "category").map((category) => [text(category), category.attribs.domain]), [
      ["économie", "https://blog.example/tags/"],
      ["web", "https://blog.example/tags/"],
    ]);
    assert.equal(text(child(link, "pubDate")), "Sun, 01 Mar 2026 08:00:00 GMT");
    assert.equal(text(child(note, "link")), "https://blog.example/p/note2345", "a note links to its permalink");
    for (const date of DomUtils.getElementsByTagName((name) => name === "pubDate" || name === "lastBuildDate", root)) {
      assert.match(text(date), RFC_822);
      assert.ok(!Number.isNaN(Date.parse(text(date))));
    }
  });

  it("is read by a feed parser as an RSS feed", () => {
    const parsed = parseFeed(renderRss(feed()), { xmlMode: true });
    assert.equal(parsed?.type, "rss");
    assert.equal(parsed?.items.length, 2);
    assert.equal(parsed?.items[0]?.link, "https://example.org/a?b=1&c=2");
    assert.equal(parsed?.items[0]?.description, CONTENT);
    assert.equal(parsed?.items[0]?.pubDate?.toISOString(), "2026-03-01T08:00:00.000Z");
  });

  it("falls back on the title for an empty description", () => {
    const root = parse(renderRss(feed({ subtitle: undefined, icon: null, entries: [] })));
    assert.equal(text(DomUtils.getElementsByTagName("description", root)[0]!), "Le sblog");
    assert.equal(DomUtils.getElementsByTagName("image", root).length, 0);
  });
});

describe("hostile text", () => {
  const CONTROLS = "a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi\uD800j\uDC00k";
  const hostile = [
    `</title><script>alert("x")</script>`,
    `]]><evil/>&amp; &lt; 'single' "double"`,
    CONTROLS,
    "tab\tnew\nline\r\ncarriage\rreturn",
    "emoji 🦣 pair kept",
    ...xssVectors,
  ];

  for (const render of [renderAtom, renderRss]) {
    it(`${render.name} keeps every document well-formed and every text exact`, () => {
      for (const value of hostile) {
        const input = feed({
          title: value,
          subtitle: value,
          siteUrl: `https://blog.example/?q=${value}`,
          feedUrl: `https://blog.example/feed?q=${value}`,
          author: { name: value, url: `https://blog.example/"${value}` },
          language: `fr"${value}`,
          entries: [entry({ title: value, html: value, tags: [value, "ok"], link: `https://example.org/?${value}`, language: `en'${value}` })],
        });
        const xml = render(input);
        const document = parse(xml);
        const expected = xmlChars(value);
        assert.equal(text(DomUtils.getElementsByTagName("title", document)[0]!), expected, JSON.stringify(value));
        const item = DomUtils.getElementsByTagName((name) => name === "entry" || name === "item", document)[0]!;
        assert.equal(text(child(item, "title")), expected);
        assert.equal(text(DomUtils.getElementsByTagName((name) => name === "content" || name === "description", item)[0]!), expected);
        const category = children(item, "category")[0]!;
        assert.equal(category.attribs.term ?? text(category), expected, "tag in an attribute or as text");
        const related = render === renderAtom ? children(item, "link")[1]!.attribs.href : text(child(item, "link"));
        assert.equal(related, `https://example.org/?${expected}`);
        const root = document.children.find((node) => node.type === "tag") as Node;
        assert.deepEqual([...names(root)].filter((name) => !(render === renderAtom ? ATOM_ELEMENTS : RSS_ELEMENTS).has(name)), [], "no stray element");
      }
    });
  }

  it("has a well-formedness check that catches broken documents", () => {
    assertWellFormed(`<?xml version="1.0" encoding="utf-8"?>\n<a x="1"><b/>t&amp;&#13;</a>\n`);
    for (const broken of ["<a><b></a></b>", "<a>&nbsp;</a>", "<a>\u0001</a>", "<a></a><b/>", `<a x="1" x="2"/>`, "<a>x < y</a>", "<a></a></a>", "<a>", `<a x="<"/>`, "t<a/>"]) {
      assert.throws(() => assertWellFormed(broken), assert.AssertionError, broken);
    }
  });

  it("strips exactly the characters XML 1.0 cannot hold", () => {
    assert.equal(xmlChars(CONTROLS), "abcdefghijk");
    assert.equal(xmlChars("\t\n\r \u007F\u0085\uD7FF\uE000\uFFFD🦣"), "\t\n\r \u007F\u0085\uD7FF\uE000\uFFFD🦣");
  });

  it("escapes text and attributes", () => {
    assert.equal(xmlText(`<a href="x">'&'</a>\r\n\t`), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;&#13;\n\t");
    assert.equal(xmlAttribute(`"a"\t'b'\n<&>\r`), "&quot;a&quot;&#9;&apos;b&apos;&#10;&lt;&amp;&gt;&#13;");
  });
});
