// What lists show of a post and how tags are compared and sorted: excerpts, tag case, collation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { excerptHtml } from "../../src/content/excerpt.ts";
import { collator, normalizeTags, tagKey } from "../../src/content/tags.ts";

describe("excerptHtml", () => {
  it("keeps a short commentary whole", () => {
    assert.deepEqual(excerptHtml("<p>Court.</p>"), { html: "<p>Court.</p>", truncated: false });
  });

  it("stops after the first paragraph long enough", () => {
    const first = `<p>${"Un mot ".repeat(25).trim()}</p>`;
    assert.deepEqual(excerptHtml(`${first}<p>Deuxième.</p>`), { html: first, truncated: true });
  });

  it("cuts a long paragraph at a word and closes what it opened", () => {
    const long = `<p><em>${"mot ".repeat(50)}</em><a href="https://example.org/?a=1&amp;b=2">lien</a> ${"fin ".repeat(40)}</p>`;
    const { html, truncated } = excerptHtml(long, 100);
    assert.ok(truncated);
    assert.match(html, /^<p><em>(mot ){24}mot…<\/em><\/p>$/);
  });

  it("keeps attributes and text escaped", () => {
    const { html } = excerptHtml('<p>a &lt;b&gt; &amp; <a href="https://example.org/?a=1&amp;b=&quot;2&quot;">c</a></p>');
    assert.equal(html, '<p>a &lt;b&gt; &amp; <a href="https://example.org/?a=1&amp;b=&quot;2&quot;">c</a></p>');
  });
});

describe("tags keep their case", () => {
  it("keeps what the owner typed and counts spellings of one tag once", () => {
    assert.deepEqual(normalizeTags("#IA ia Ia LLM"), ["IA", "LLM"]);
  });

  it("matches by a key that ignores case and the # (French rules, NFC)", () => {
    assert.equal(tagKey("#IA"), tagKey("ia"));
    assert.equal(tagKey("E\u0301COLOGIE"), "écologie");
    assert.notEqual(tagKey("ecologie"), tagKey("écologie"));
  });

  it("sorts in the blog's language: accents beside their letter, case ignored", () => {
    const tags = ["zoologie", "écologie", "IA", "Europe", "x", "ia2", "éducation", "art"];
    assert.deepEqual([...tags].sort(collator("fr").compare), ["art", "écologie", "éducation", "Europe", "IA", "ia2", "x", "zoologie"]);
    assert.deepEqual([...tags].sort(), ["Europe", "IA", "art", "ia2", "x", "zoologie", "écologie", "éducation"]);
  });
});
