// The commentary speaks fediverse: `@user@server` mentions, inline `#hashtags`, and the language
// of a text nobody named.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { commentReferences, noteContent, renderMarkdown, rewriteHashtags, type ResolvedMention } from "../src/content/index.ts";
import { detectLanguage, languageName, preferredLanguage } from "../src/content/language.ts";

const ORIGIN = "https://blog.example";
const tagHref = (tag: string) => `${ORIGIN}/tags/${encodeURIComponent(tag)}`;
const alice: ResolvedMention = {
  handle: "@alice@peer.example",
  actorId: "https://peer.example/users/alice",
  profileUrl: "https://peer.example/@alice",
  inbox: "https://peer.example/users/alice/inbox",
  sharedInbox: "https://peer.example/inbox",
};
const mentions = new Map([["@alice@peer.example", alice]]);
const render = (source: string) => renderMarkdown(source, { tagHref, mentions });

const ALICE_HTML =
  '<span class="h-card" translate="no"><a href="https://peer.example/@alice" class="u-url mention">@<span>alice</span></a></span>';

describe("commentary mentions", () => {
  it("links a resolved handle as Mastodon does, whatever its case", () => {
    assert.equal(render("Merci @alice@peer.example !"), `<p>Merci ${ALICE_HTML} !</p>`);
    assert.equal(render("@Alice@Peer.Example."), `<p>${ALICE_HTML}.</p>`);
  });

  it("leaves an unknown handle as plain text, never a mailto link", () => {
    assert.equal(render("Salut @nobody@peer.example"), "<p>Salut @nobody@peer.example</p>");
    assert.equal(renderMarkdown("Salut @alice@peer.example"), "<p>Salut @alice@peer.example</p>");
  });

  it("keeps an e-mail address an e-mail link, as before", () => {
    assert.equal(
      render("Écrire à user@example.com"),
      '<p>Écrire à <a href="mailto:user@example.com" rel="nofollow noopener noreferrer">user@example.com</a></p>',
    );
    assert.deepEqual(commentReferences("user@example.com x@alice@peer.example").handles, []);
  });

  it("finds no handle in code, links or URLs", () => {
    const source = "`@alice@peer.example`\n\n```\n@alice@peer.example\n```\n\n[@alice@peer.example](https://x.example/) https://x.example/@alice@peer.example";
    assert.deepEqual(commentReferences(source).handles, []);
    assert.doesNotMatch(render(source), /class="u-url mention"/);
  });

  it("lists each handle once, as first typed", () => {
    assert.deepEqual(commentReferences("@alice@peer.example @ALICE@peer.example @bob@other.example").handles, [
      "@alice@peer.example",
      "@bob@other.example",
    ]);
  });

  it("escapes what a hostile server answered and never links a non-web profile", () => {
    const hostile: ResolvedMention = { ...alice, handle: "@evil@peer.example", profileUrl: 'https://peer.example/"><script>alert(1)</script>' };
    const html = renderMarkdown("@evil@peer.example", { mentions: new Map([["@evil@peer.example", hostile]]) });
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /href="https:\/\/peer\.example\/%22%3E%3Cscript%3Ealert\(1\)%3C\/script%3E" class="u-url mention"/);
    const script: ResolvedMention = { ...alice, handle: "@js@peer.example", profileUrl: "javascript:alert(1)" };
    assert.equal(renderMarkdown("@js@peer.example", { mentions: new Map([["@js@peer.example", script]]) }), "<p><span class=\"h-card\" translate=\"no\"><span>@<span>js</span></span></span></p>");
    // Typed text around a handle stays text.
    assert.equal(render("<b>@alice@peer.example</b>"), `<p>&lt;b&gt;${ALICE_HTML}&lt;/b&gt;</p>`);
  });
});

describe("commentary hashtags", () => {
  it("links a hashtag to the tag page, accents kept, and makes it a tag", () => {
    assert.equal(
      render("Le #numérique et #LogicielLibre."),
      `<p>Le <a href="${ORIGIN}/tags/num%C3%A9rique" class="mention hashtag" rel="tag">#<span>numérique</span></a> et ` +
        `<a href="${ORIGIN}/tags/LogicielLibre" class="mention hashtag" rel="tag">#<span>LogicielLibre</span></a>.</p>`,
    );
    assert.deepEqual(commentReferences("Le #numérique et #LogicielLibre, #numérique").hashtags, ["numérique", "LogicielLibre"]);
  });

  it("ignores digits alone, code, links, URLs and words with # inside", () => {
    const source = "En #2026 : `#code`, [#lien](https://x.example/), https://x.example/page#section, C#, a#b, &#39;\n\n```\n#bloc\n```";
    assert.deepEqual(commentReferences(source).hashtags, []);
    assert.doesNotMatch(render(source), /hashtag/);
    assert.match(render(source), /En #2026/);
  });

  it("takes a heading-like #word and an escaped one as Markdown does", () => {
    assert.deepEqual(commentReferences("#mot en tête\n\n\\#pas").hashtags, ["mot"]);
  });

  it("stays text without a tag page to link to", () => {
    assert.equal(renderMarkdown("#mot"), "<p>#mot</p>");
  });

  it("is renamed or removed in the text, unless the text also has it in code", () => {
    assert.equal(rewriteHashtags("Le #Numérique et #numériques.", "numérique", "web"), "Le #web et #numériques.");
    assert.equal(rewriteHashtags("Le #Numérique, fin.", "numérique", null), "Le Numérique, fin.");
    assert.equal(rewriteHashtags("Le #numérique", "numérique", "logiciel-libre"), "Le logiciel-libre");
    assert.equal(rewriteHashtags("#numérique et `#numérique`", "numérique", "web"), "#numérique et `#numérique`");
  });

  it("is not repeated at the end of the Note", () => {
    const content = noteContent({ url: null, title: "t", commentHtml: render("Sur le #numérique"), tags: ["numérique", "web"] }, tagHref);
    assert.equal(content.match(/rel="tag"/g)?.length, 2);
    assert.match(content, /<p><a href="https:\/\/blog\.example\/tags\/web" class="mention hashtag" rel="tag">#<span>web<\/span><\/a><\/p>$/);
  });
});

describe("language detection", () => {
  const corpus = readFileSync(new URL("./fixtures/sblog-posts.txt", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");

  it("finds French in the sblog corpus, and is never wrong when unsure", async () => {
    const detected = await Promise.all(corpus.map(detectLanguage));
    const french = detected.filter((language) => language === "fr").length;
    assert.ok(french >= corpus.length - 3, `${french} of ${corpus.length}`);
    assert.deepEqual(detected.filter((language) => language !== "fr" && language !== null), []);
    assert.equal(await detectLanguage(corpus.slice(0, 3).join("\n")), "fr");
  });

  it("finds English, and says nothing of text without words", async () => {
    for (const text of ["Great article about CSS cascade layers", "Why I stopped using ORMs", "Worth reading"]) {
      assert.equal(await detectLanguage(text), "en", text);
    }
    assert.equal(await detectLanguage("CHEH !"), null);
    // French and Catalan score alike: unsure, so the owner's default applies.
    assert.equal(await detectLanguage("Un article important"), null);
    assert.equal(await detectLanguage("https://example.com/some/path @alice@peer.example #css"), null);
    assert.equal(await detectLanguage(""), null);
  });

  it("names languages in themselves and reads Accept-Language", () => {
    assert.equal(languageName("fr"), "français");
    assert.equal(languageName("en"), "English");
    assert.equal(preferredLanguage("de-CH;q=0.5, fr-FR, en;q=0.8"), "fr");
    assert.equal(preferredLanguage("tlh, en-GB;q=0.2"), "en");
    assert.equal(preferredLanguage("tlh"), null);
    assert.equal(preferredLanguage(undefined), null);
  });
});
