import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Parser } from "htmlparser2";
import {
  escapeHtml,
  hashtagName,
  htmlToText,
  normalizeTags,
  normalizeUrl,
  noteContent,
  renderMarkdown,
  sanitizeRemoteHtml,
} from "../src/content/index.ts";
import { xssVectors } from "./fixtures/xss-vectors.ts";

const corpus = readFileSync(new URL("./fixtures/sblog-posts.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "");

const NBSP = "\u00A0";
const NNBSP = "\u202F";

type Element = { name: string; attribs: Record<string, string> };

/** Every element of some HTML as a browser-like parser sees it, and the closings it had to imply. */
function parse(html: string): { elements: Element[]; implied: string[] } {
  const elements: Element[] = [];
  const implied: string[] = [];
  const parser = new Parser(
    {
      onopentag: (name, attribs) => elements.push({ name, attribs }),
      onclosetag: (name, isImplied) => {
        if (isImplied && name !== "br") implied.push(name);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { elements, implied };
}

const MARKDOWN_TAGS = new Set(["p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em", "ul", "ol", "li"]);
const REMOTE_TAGS = MARKDOWN_TAGS;
const FORBIDDEN_TAG = /<\s*\/?\s*(?:script|iframe|object|embed|svg|style|img|meta|link|base|form|math|input|table|frame|body)\b/i;

/** Asserts the HTML carries nothing executable, whatever text it shows. */
function assertSafe(html: string, allowedTags: ReadonlySet<string>, schemes: readonly string[], label: string): void {
  const message = `${label}\n→ ${html}`;
  assert.doesNotMatch(html, FORBIDDEN_TAG, message);
  // Text is escaped, so every raw `<` opens a tag: these look inside tags only.
  assert.doesNotMatch(html, /<[^>]*\son[a-z]*\s*=/i, message);
  assert.doesNotMatch(html, /<[^>]*\s(?:href|src)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i, message);
  assert.doesNotMatch(html, /<[^>]*\sstyle\s*=/i, message);
  const { elements, implied } = parse(html);
  assert.deepEqual(implied, [], `unbalanced: ${message}`);
  for (const { name, attribs } of elements) {
    assert.ok(allowedTags.has(name), `<${name}> in ${message}`);
    for (const [attribute, value] of Object.entries(attribs)) {
      assert.ok(!attribute.startsWith("on"), `${attribute} in ${message}`);
      assert.notEqual(attribute, "style", message);
      if (attribute === "href" || attribute === "src") {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
        assert.ok(scheme !== undefined && schemes.includes(scheme), `${attribute}="${value}" in ${message}`);
      }
    }
  }
}

const collapse = (text: string) => text.replace(/[ \t\n\r\f]+/g, " ").trim();

describe("the safety check used below", () => {
  it("rejects what it must", () => {
    for (const unsafe of [
      '<a href="javascript:alert(1)">x</a>',
      '<a href=" JAVASCRIPT:alert(1)">x</a>',
      '<a href="/relative">x</a>',
      '<p onclick="x()">x</p>',
      '<p style="color:red">x</p>',
      "<img src=x>",
      "<p><b>unclosed</p>",
      "<div>x</div>",
    ]) {
      assert.throws(() => assertSafe(unsafe, MARKDOWN_TAGS, ["http", "https"], unsafe), assert.AssertionError, unsafe);
    }
    assertSafe('<p>&lt;script&gt; <a href="https://ok.example/" rel="x">ok</a><br></p>', MARKDOWN_TAGS, ["http", "https"], "safe");
  });
});

describe("normalizeUrl", () => {
  it("strips tracking parameters and keeps the others in order, as written", () => {
    assert.equal(
      normalizeUrl("https://example.com/a?utm_source=rss&id=3&fbclid=XYZ&q=hello%20world&gclid=1&sort=new&utm_medium=x"),
      "https://example.com/a?id=3&q=hello%20world&sort=new",
    );
    assert.equal(normalizeUrl("https://example.com/a?b=1+2&flag&c=%C3%A9"), "https://example.com/a?b=1+2&flag&c=%C3%A9");
  });

  it("knows Shaarli's list and the common click and newsletter ids", () => {
    const tracking = [
      "utm_campaign=a", "UTM_Content=b", "fb_action_ids=1", "fb=1", "action_object_map=1", "PHPSESSID=abc",
      "__scoop_post=1", "xtor=RSS-3", "campaign_id=1", "yclid=1", "_ga=1", "mc_cid=1", "mc_eid=1",
      "igshid=1", "ref_src=twsrc", "at_medium=1", "at_campaign=2", "ocid=1", "__twitter_impression=true",
      "msclkid=1", "_hsenc=1", "mkt_tok=1", "pk_campaign=1", "mtm_source=1",
    ];
    for (const pair of tracking) {
      assert.equal(normalizeUrl(`https://example.com/?keep=1&${pair}`), "https://example.com/?keep=1", pair);
    }
    assert.equal(normalizeUrl("https://example.com/?ref=home&page=2&source=x&at=1"), "https://example.com/?ref=home&page=2&source=x&at=1");
  });

  it("drops the query entirely when only tracking was left", () => {
    assert.equal(normalizeUrl("https://example.com/article?utm_source=x&utm_medium=y"), "https://example.com/article");
    assert.equal(normalizeUrl("https://example.com/?"), "https://example.com/");
  });

  it("lowercases scheme and host, trims, keeps path case", () => {
    assert.equal(normalizeUrl("  HTTPS://Example.COM/Some/Path  "), "https://example.com/Some/Path");
    assert.equal(normalizeUrl("http://EXAMPLE.org:80/x"), "http://example.org/x");
  });

  it("removes an empty or tracking fragment only", () => {
    assert.equal(normalizeUrl("https://example.com/a#"), "https://example.com/a");
    assert.equal(normalizeUrl("https://example.com/a#section-2"), "https://example.com/a#section-2");
    assert.equal(normalizeUrl("https://example.com/a?x=1#/route?y=2"), "https://example.com/a?x=1#/route?y=2");
    assert.equal(normalizeUrl("https://www.lemonde.fr/a.html#xtor=RSS-3208"), "https://www.lemonde.fr/a.html");
    assert.equal(normalizeUrl("https://www.lemonde.fr/a.html?utm_medium=Social#Echobox=1700000000"), "https://www.lemonde.fr/a.html");
  });

  it("rejects anything that is not an absolute http(s) URL", () => {
    for (const input of [
      "javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
      "ftp://example.com/file", "mailto:a@example.com", "file:///etc/passwd", "/relative/path", "//example.com/x",
      "example.com", "", "   ", "https://", "http://exa mple.com/",
    ]) {
      assert.equal(normalizeUrl(input), null, input);
    }
  });

  it("unwraps Firefox's reader view like Shaarli", () => {
    assert.equal(normalizeUrl("about:reader?url=https%3A%2F%2Fexample.com%2Fa%3Futm_source%3Dx%26id%3D1"), "https://example.com/a?id=1");
  });
});

describe("normalizeTags", () => {
  it("splits on whitespace and commas, strips #, keeps the case typed, dedupes whatever the case, keeps order", () => {
    assert.deepEqual(normalizeTags("#Économie, Logiciel-Libre  économie,,#CSS\tŒUVRE\n css"), ["Économie", "Logiciel-Libre", "CSS", "ŒUVRE"]);
  });

  it("accepts an array, each element split the same way", () => {
    assert.deepEqual(normalizeTags(["Web dev", "#web", "", "DEV,Zoo"]), ["Web", "dev", "Zoo"]);
  });

  it("composes accents (NFC) so one tag has one spelling", () => {
    const [tag] = normalizeTags("E\u0301CONOMIE");
    assert.equal(tag, "ÉCONOMIE");
    assert.equal(tag?.length, 8);
    assert.deepEqual(normalizeTags("e\u0301conomie économie"), ["économie"]);
  });

  it("splits on non-breaking spaces and drops empties", () => {
    assert.deepEqual(normalizeTags(`a${NBSP}b${NNBSP}c # ## ,`), ["a", "b", "c"]);
    assert.deepEqual(normalizeTags(""), []);
    assert.deepEqual(normalizeTags([]), []);
  });
});

describe("hashtagName", () => {
  const cases: ReadonlyArray<[string, string | null]> = [
    ["css", "css"],
    ["#css", "css"],
    ["logiciel-libre", "logiciel_libre"],
    ["économie", "économie"],
    ["allié·es", "allié·es"],
    ["l'été", "l_été"],
    ["c++", "c"],
    ["web3", "web3"],
    ["_private", "_private"],
    ["·x·", "x"],
    ["ﬁlm", "film"],
    ["日本語", "日本語"],
    ["2026", null],
    ["2026-01", null],
    ["+++", null],
    ["", null],
  ];
  for (const [tag, expected] of cases) {
    it(`${JSON.stringify(tag)} → ${JSON.stringify(expected)}`, () => assert.equal(hashtagName(tag), expected));
  }
});

describe("escapeHtml", () => {
  it("escapes the five significant characters and nothing else", () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&amp; « l’été »</a>`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp; « l’été »&lt;/a&gt;");
  });
});

describe("renderMarkdown: the sblog corpus", () => {
  it("has the corpus fixture", () => assert.ok(corpus.length >= 70, `${corpus.length} lines`));

  it("keeps the text of every line", () => {
    for (const line of corpus) {
      // A leading "- " is Markdown for a bullet: the list item keeps the rest.
      const expected = collapse(line.replace(/^[-*+] /, ""));
      assert.equal(htmlToText(renderMarkdown(line)), expected);
    }
  });

  it("keeps French typography as characters, not entities", () => {
    const html = renderMarkdown(corpus.join("\n\n"));
    for (const char of ["«", "»", "’", "œ", "é", "à", "ç", "·", "…", "—", "⬇️"]) assert.ok(html.includes(char), char);
    assert.doesNotMatch(html, /&(?:laquo|raquo|rsquo|nbsp|#\d+|#x[0-9a-f]+);/i);
  });

  it("renders paragraphs and line breaks like Shaarli", () => {
    const [first, second, third] = corpus;
    assert.equal(renderMarkdown(`${first}\n\n${second}`), `<p>${first}</p><p>${second}</p>`);
    assert.equal(renderMarkdown(`${first}\n${third}`), `<p>${first}<br>${third}</p>`);
  });

  it("renders the whole corpus as one commentary without losing text", () => {
    const text = htmlToText(renderMarkdown(corpus.join("\n\n")));
    assert.equal(text, collapse(corpus.map((line) => line.replace(/^[-*+] /, "")).join(" ")));
  });
});

describe("renderMarkdown: typography and escaping", () => {
  it("keeps non-breaking spaces (U+00A0 and U+202F), guillemets and apostrophes", () => {
    const source = `«${NNBSP}Bonjour${NNBSP}»${NBSP}: l’œuvre coûte 10${NNBSP}%${NBSP}!`;
    assert.equal(renderMarkdown(source), `<p>${source}</p>`);
    assert.equal(htmlToText(renderMarkdown(source)), source);
  });

  it("escapes < and & in text", () => {
    assert.equal(renderMarkdown("a < b && c > d, AT&T"), "<p>a &lt; b &amp;&amp; c &gt; d, AT&amp;T</p>");
  });

  it("shows typed HTML as text instead of interpreting it", () => {
    assert.equal(renderMarkdown("<b>gras</b> et **fort**"), "<p>&lt;b&gt;gras&lt;/b&gt; et <strong>fort</strong></p>");
    assert.equal(htmlToText(renderMarkdown("<div>\nbloc\n</div>")), "<div> bloc </div>");
  });
});

describe("renderMarkdown: the allowlist", () => {
  it("turns headings into bold paragraphs", () => {
    assert.equal(renderMarkdown("# Titre\n\nTexte\n\nSous-titre\n---"), "<p><strong>Titre</strong></p><p>Texte</p><p><strong>Sous-titre</strong></p>");
  });

  it("turns images into links to the image", () => {
    assert.equal(
      renderMarkdown("![Un *chat*](https://img.example/chat.png \"titre\")"),
      '<p><a href="https://img.example/chat.png" rel="nofollow noopener noreferrer">Un chat</a></p>',
    );
    assert.equal(renderMarkdown("![](https://img.example/a.png)"), '<p><a href="https://img.example/a.png" rel="nofollow noopener noreferrer">https://img.example/a.png</a></p>');
  });

  it("does not make tables, and keeps their text", () => {
    const html = renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |");
    assert.doesNotMatch(html, /<t(?:able|r|d|h)/);
    assert.equal(htmlToText(html), "| a | b | |---|---| | 1 | 2 |");
  });

  it("links get rel=nofollow noopener noreferrer and only absolute http, https or mailto", () => {
    assert.equal(renderMarkdown("[site](https://example.com/a?b=1&c=2)"), '<p><a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">site</a></p>');
    assert.equal(renderMarkdown("[moi](mailto:moi@example.com)"), '<p><a href="mailto:moi@example.com" rel="nofollow noopener noreferrer">moi</a></p>');
    assert.equal(renderMarkdown("[relatif](/tags/css)"), "<p>relatif</p>");
    assert.equal(renderMarkdown("[ftp](ftp://example.com/f)"), "<p>ftp</p>");
  });

  it("autolinks bare URLs (GFM), shown without their scheme as Mastodon does", () => {
    assert.equal(
      renderMarkdown("Lire https://example.com/article. Et www.example.org !"),
      '<p>Lire <a href="https://example.com/article" translate="no" rel="nofollow noopener noreferrer"><span class="invisible">https://</span>example.com/article</a>. ' +
        'Et <a href="http://www.example.org/" translate="no" rel="nofollow noopener noreferrer"><span class="invisible">www.</span>example.org</a> !</p>',
    );
  });

  it("keeps lists, quotes, code, emphasis and strikethrough", () => {
    assert.equal(
      renderMarkdown("> cité\n\n3. un\n4. deux\n\n- *a* ~~b~~ `c<d>`\n\n```js\nif (a < b) {}\n```"),
      '<blockquote><p>cité</p></blockquote><ol start="3"><li>un</li><li>deux</li></ol>' +
        "<ul><li><em>a</em> <del>b</del> <code>c&lt;d&gt;</code></li></ul><pre><code>if (a &lt; b) {}\n</code></pre>",
    );
  });

  it("renders an empty commentary as nothing", () => {
    assert.equal(renderMarkdown(""), "");
    assert.equal(renderMarkdown("  \n\n "), "");
  });
});

describe("renderMarkdown: hostile input", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript&colon;alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](java\\script:alert(1))",
    "[click](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)\n\n[ref][a]",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<A HREF="JaVaScRiPt:alert(1)">x</A>',
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="x" ONERROR="alert(1)">',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '<iframe src="https://evil.example/"></iframe>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<p onclick="alert(1)" style="color:red">x</p>',
    '<div style="background:url(javascript:alert(1))">x',
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    '[x](https://ok.example/" onmouseover="alert(1))',
    "<style>p{color:red}</style>",
    "<b>unclosed <i>markup",
    "**bold _em [link](https://ok.example",
    "</p></li></ul><p>",
    "<!-- comment --> <![CDATA[ x ]]> <?php echo 1 ?>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "> <img src=x onerror=alert(1)>\n> - [x](javascript:alert(1))",
    "www.example.com/<script>alert(1)</script>",
    "https://example.com/\"onmouseover=\"alert(1)",
    "<form action=\"https://evil.example\"><input name=x></form>",
    "<object data=x></object><embed src=x><math><mi>x</mi></math><base href=x><meta http-equiv=refresh><link rel=x>",
  ];
  for (const source of hostile) {
    it(JSON.stringify(source), () => {
      const html = renderMarkdown(source);
      assertSafe(html, MARKDOWN_TAGS, ["http", "https", "mailto"], source);
      for (const { name, attribs } of parse(html).elements) {
        if (name === "a") assert.equal(attribs.rel, "nofollow noopener noreferrer");
        // A bare URL is shown shortened: spans with only Mastodon's two classes.
        else if (name === "span") assert.deepEqual(Object.entries(attribs).filter(([a, v]) => !(a === "class" && /^(?:invisible|ellipsis)$/.test(v))), [], "<span> attributes");
        else assert.deepEqual(Object.keys(attribs).filter((a) => !(name === "ol" && a === "start")), [], `<${name}> attributes`);
      }
    });
  }

  it("keeps the text of hostile markup visible instead of running it", () => {
    assert.equal(renderMarkdown("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    assert.equal(renderMarkdown("[click](javascript:alert(1))"), "<p>click</p>");
  });
});

describe("sanitizeRemoteHtml", () => {
  it(`neutralizes ${xssVectors.length} OWASP filter-evasion vectors`, () => {
    assert.ok(xssVectors.length >= 30);
    for (const vector of xssVectors) {
      assertSafe(sanitizeRemoteHtml(vector), REMOTE_TAGS, ["http", "https"], vector);
    }
  });

  it("keeps a Mastodon reply's structure, classes and text", () => {
    const reply =
      '<p><span class="h-card" translate="no"><a href="https://mastodon.example/@alice" class="u-url mention">@<span>alice</span></a></span> ' +
      'Great find! <a href="https://mastodon.example/tags/css" class="mention hashtag" rel="tag">#<span>css</span></a></p>';
    assert.equal(
      sanitizeRemoteHtml(reply),
      '<p><span class="h-card" translate="no"><a href="https://mastodon.example/@alice" class="u-url mention" rel="nofollow noopener noreferrer ugc">@<span>alice</span></a></span> ' +
        'Great find! <a href="https://mastodon.example/tags/css" class="mention hashtag" rel="tag nofollow noopener noreferrer ugc">#<span>css</span></a></p>',
    );
    assert.equal(htmlToText(sanitizeRemoteHtml(reply)), "@alice Great find! #css");
  });

  it("keeps Mastodon's shortened link text", () => {
    const html =
      '<p><a href="https://example.com/very/long/path" target="_blank" rel="nofollow noopener">' +
      '<span class="invisible">https://</span><span class="ellipsis">example.com/very/long</span><span class="invisible">/path</span></a></p>';
    assert.equal(
      sanitizeRemoteHtml(html),
      '<p><a href="https://example.com/very/long/path" rel="nofollow noopener noreferrer ugc">' +
        '<span class="invisible">https://</span><span class="ellipsis">example.com/very/long</span><span class="invisible">/path</span></a></p>',
    );
  });

  it("drops unknown classes, targets and attributes, and unlinks relative or odd links", () => {
    assert.equal(
      sanitizeRemoteHtml('<p class="status quote-x p-name" id="x" data-x="1">a <a href="/local" class="evil">b</a> <a>c</a> <a href="gopher://x">d</a></p>'),
      '<p class="p-name">a <span>b</span> <span>c</span> <span>d</span></p>',
    );
  });

  it("closes every element around a refused link, so nothing wraps the rest of the page", () => {
    assert.equal(
      sanitizeRemoteHtml('<p><a href="javascript:alert(1)">x</a> <b>bold</b> <i>it</i></p><p>after</p>'),
      "<p><span>x</span> <b>bold</b> <i>it</i></p><p>after</p>",
    );
    assert.equal(sanitizeRemoteHtml('<p>a<a href="javascript:1">b<strong>c</strong></a>d</p>'), "<p>a<span>b<strong>c</strong></span>d</p>");
  });

  it("keeps text of unknown elements, drops their code", () => {
    assert.equal(
      sanitizeRemoteHtml("<div><h1>Titre</h1><table><tr><td>cell</td></tr></table><script>evil()</script><style>p{}</style><img src=x alt=y></div>"),
      "<p>Titre</p>cell",
    );
    assert.equal(sanitizeRemoteHtml("<p>l’été «\u00A0ok\u00A0» &amp; &lt;b&gt;</p>"), "<p>l’été «\u00A0ok\u00A0» &amp; &lt;b&gt;</p>");
  });
});

describe("htmlToText", () => {
  it("decodes entities, separates blocks and collapses whitespace", () => {
    assert.equal(htmlToText("<p>a &amp; b &lt;c&gt; &#8217; &eacute;</p>\n\n<p>d<br>e</p>  <ul><li>f</li><li>g</li></ul>"), "a & b <c> ’ é d e f g");
  });

  it("keeps non-breaking spaces and skips scripts and styles", () => {
    assert.equal(htmlToText(`<p>10&nbsp;€ et 5${NNBSP}%</p><script>var x = 1;</script><style>p{}</style>`), `10${NBSP}€ et 5${NNBSP}%`);
  });

  it("reads plain text as is", () => {
    assert.equal(htmlToText("  juste   du texte\n"), "juste du texte");
    assert.equal(htmlToText(""), "");
  });
});

describe("noteContent", () => {
  const tagHref = (tag: string) => `https://blog.example/tags/${encodeURIComponent(tag)}`;

  it("matches the Note content Mastodon expects", () => {
    const content = noteContent(
      {
        url: "https://example.org/article",
        title: "A great article about CSS layers",
        commentHtml: renderMarkdown("My commentary: this finally explains cascade layers well."),
        tags: ["css"],
      },
      tagHref,
    );
    assert.equal(
      content,
      '<p><a href="https://example.org/article">A great article about CSS layers</a></p>' +
        "<p>My commentary: this finally explains cascade layers well.</p>" +
        '<p><a href="https://blog.example/tags/css" class="mention hashtag" rel="tag">#<span>css</span></a></p>',
    );
  });

  it("puts the shared link first, even when the commentary has links", () => {
    const content = noteContent(
      { url: "https://example.org/a?x=1&y=2", title: "Titre", commentHtml: renderMarkdown("Voir [ceci](https://other.example/)"), tags: ["web"] },
      tagHref,
    );
    const anchors = parse(content).elements.filter((element) => element.name === "a");
    assert.equal(anchors[0]?.attribs.href, "https://example.org/a?x=1&y=2");
    assert.equal(anchors[0]?.attribs.rel, undefined);
    assert.equal(anchors[1]?.attribs.href, "https://other.example/");
    assert.ok(content.startsWith('<p><a href="https://example.org/a?x=1&amp;y=2">Titre</a></p>'));
  });

  it("writes absolute hashtag links with rel=tag, only for names Mastodon accepts", () => {
    const content = noteContent({ url: "https://example.org/", title: "t", commentHtml: "", tags: ["logiciel-libre", "2026", "économie", "logiciel_libre"] }, tagHref);
    const hashtags = parse(content).elements.filter((element) => element.attribs.rel === "tag");
    assert.deepEqual(
      hashtags.map((element) => element.attribs),
      [
        { href: "https://blog.example/tags/logiciel-libre", class: "mention hashtag", rel: "tag" },
        { href: "https://blog.example/tags/%C3%A9conomie", class: "mention hashtag", rel: "tag" },
      ],
    );
    assert.match(content, /<p><a [^>]+>#<span>logiciel_libre<\/span><\/a> <a [^>]+>#<span>économie<\/span><\/a><\/p>$/);
  });

  it("escapes the title", () => {
    const content = noteContent({ url: "https://example.org/", title: `<script>alert("x")</script> & co`, commentHtml: "", tags: [] }, tagHref);
    assert.equal(content, '<p><a href="https://example.org/">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</a></p>');
  });

  it("shows the title in bold without a URL, and nothing for an empty title", () => {
    assert.equal(noteContent({ url: null, title: "Une pensée < du jour", commentHtml: "<p>Texte</p>", tags: [] }, tagHref), "<p><strong>Une pensée &lt; du jour</strong></p><p>Texte</p>");
    assert.equal(noteContent({ url: null, title: "  ", commentHtml: "<p>Texte</p>", tags: ["a"] }, tagHref), '<p>Texte</p><p><a href="https://blog.example/tags/a" class="mention hashtag" rel="tag">#<span>a</span></a></p>');
  });

  it("uses the URL as link text when the title is empty, and never links a non-http URL", () => {
    assert.equal(noteContent({ url: "https://example.org/x", title: "", commentHtml: "", tags: [] }, tagHref), '<p><a href="https://example.org/x">https://example.org/x</a></p>');
    assert.equal(noteContent({ url: "javascript:alert(1)", title: "t", commentHtml: "", tags: [] }, tagHref), "<p><strong>t</strong></p>");
  });

  it("survives a Mastodon-like sanitizer with its link and hashtags intact", () => {
    const content = noteContent({ url: "https://example.org/", title: "t", commentHtml: renderMarkdown("**ok**"), tags: ["css"] }, tagHref);
    const sanitized = parse(sanitizeRemoteHtml(content)).elements;
    assert.deepEqual(sanitized.map((element) => element.name), ["p", "a", "p", "strong", "p", "a", "span"]);
    assert.equal(sanitized[5]?.attribs.class, "mention hashtag");
  });
});
