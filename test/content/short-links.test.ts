// Bare URLs in a commentary are shown as Mastodon shows them: no scheme or www, cut after 30
// characters with an ellipsis, the whole URL kept in the link and in the hidden spans.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { htmlToText, noteContent, renderMarkdown } from "../../src/content/index.ts";
import { frenchHtml } from "../../src/content/typography.ts";

const REL = 'rel="nofollow noopener noreferrer"';
const LONG = "https://www.example.org/a-very-long-path/to/an/article?x=1&y=2";

describe("shortened bare URLs", () => {
  it("hides the scheme and www. and cuts a long URL after 30 characters, as Mastodon marks it up", () => {
    assert.equal(
      renderMarkdown(`Lire ${LONG} ici`),
      `<p>Lire <a href="https://www.example.org/a-very-long-path/to/an/article?x=1&amp;y=2" translate="no" ${REL}>` +
        '<span class="invisible">https://www.</span><span class="ellipsis">example.org/a-very-long-path/t</span>' +
        '<span class="invisible">o/an/article?x=1&amp;y=2</span></a> ici</p>',
    );
    assert.equal(htmlToText(renderMarkdown(LONG)), LONG);
  });

  it("only hides the scheme of a short URL, and shortens <URL> autolinks too", () => {
    const short = `<a href="https://example.org/a" translate="no" ${REL}><span class="invisible">https://</span>example.org/a</a>`;
    assert.equal(renderMarkdown("https://example.org/a"), `<p>${short}</p>`);
    assert.equal(renderMarkdown("<https://example.org/a>"), `<p>${short}</p>`);
    const thirty = `https://example.org/${"x".repeat(18)}`;
    assert.doesNotMatch(renderMarkdown(thirty), /ellipsis/);
    assert.match(renderMarkdown(`${thirty}y`), /<span class="ellipsis">example\.org\/x{18}<\/span><span class="invisible">y<\/span>/);
  });

  it("leaves links with their own text, e-mail addresses and code as typed", () => {
    assert.equal(renderMarkdown(`[un article](${LONG})`), `<p><a href="${LONG.replace("&", "&amp;")}" ${REL}>un article</a></p>`);
    assert.equal(renderMarkdown(`[${LONG}](${LONG})`), `<p><a href="${LONG.replace("&", "&amp;")}" ${REL}>${LONG.replace("&", "&amp;")}</a></p>`);
    assert.equal(renderMarkdown("a@example.org"), `<p><a href="mailto:a@example.org" ${REL}>a@example.org</a></p>`);
    assert.equal(renderMarkdown(`\`${LONG}\``), `<p><code>${LONG.replace("&", "&amp;")}</code></p>`);
  });

  it("is left alone by French typography, which would space the cut text's last ? otherwise", () => {
    const html = renderMarkdown("Voir : https://example.org/abcdefghijklmnopq?x=1");
    assert.match(html, /<span class="ellipsis">example\.org\/abcdefghijklmnopq\?<\/span><span class="invisible">x=1<\/span>/);
    const link = /<a [\s\S]*<\/a>/.exec(html)![0];
    assert.ok(frenchHtml(html).includes(link));
    assert.match(frenchHtml(html), /Voir\u00A0:/);
    assert.equal(frenchHtml(frenchHtml(html)), frenchHtml(html));
  });

  it("keeps the classes in the Note's content, so that Mastodon shows the URL shortened too", () => {
    const content = noteContent({ url: null, title: "", commentHtml: renderMarkdown(`Voir ${LONG}`), tags: [], language: "fr" }, () => "https://blog.example/tags/x");
    assert.match(content, /<span class="invisible">https:\/\/www\.<\/span><span class="ellipsis">example\.org\/a-very-long-path\/t<\/span>/);
  });
});
