// French typography: the spaces that keep punctuation on its word's line, guillemets, and never
// a change inside code, URLs, entities or attributes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noteContent } from "../../src/content/index.ts";
import { frenchHtml, frenchText, isFrench } from "../../src/content/typography.ts";

const NBSP = "\u00A0";
const NNBSP = "\u202F";

describe("frenchText", () => {
  it("puts a no-break space before a colon, with or without a space typed", () => {
    assert.equal(frenchText("Trois exemples : un"), `Trois exemples${NBSP}: un`);
    assert.equal(frenchText("Note: voir"), `Note${NBSP}: voir`);
    assert.equal(frenchText("Fin :"), `Fin${NBSP}:`);
  });

  it("puts a narrow no-break space before ; ! ? and keeps runs of them together", () => {
    assert.equal(frenchText("Mon sblog est de retour !"), `Mon sblog est de retour${NNBSP}!`);
    assert.equal(frenchText("Vraiment?! Oui; non ?"), `Vraiment${NNBSP}?! Oui${NNBSP}; non${NNBSP}?`);
  });

  it("sets guillemets with narrow no-break spaces inside, and turns straight quotes into them", () => {
    assert.equal(frenchText("« les entreprises »"), `«${NNBSP}les entreprises${NNBSP}»`);
    assert.equal(frenchText("«serré»"), `«${NNBSP}serré${NNBSP}»`);
    assert.equal(frenchText('un "mot" et “un autre”'), `un «${NNBSP}mot${NNBSP}» et «${NNBSP}un autre${NNBSP}»`);
  });

  it("turns an apostrophe between letters into the typographic one", () => {
    assert.equal(frenchText("l'homme d'aujourd'hui"), "l’homme d’aujourd’hui");
    assert.equal(frenchText("L'État n'a qu'à"), "L’État n’a qu’à");
    assert.equal(frenchText("les 'guillemets' simples et 1990'"), "les 'guillemets' simples et 1990'");
  });

  it("leaves times, ratios, URLs, handles and emoji codes alone", () => {
    for (const text of ["à 10:30 précises", "https://example.org/a?b=c:d!e", "https://example.org/l'article", "www.example.org/?q=1", "@alice@example.org", "bravo :thumbsup: ici"]) {
      assert.equal(frenchText(text), text);
    }
    assert.equal(frenchText("voir https://example.org/a?b : ici"), `voir https://example.org/a?b${NBSP}: ici`);
  });

  it("is idempotent", () => {
    const once = frenchText(`Je vous donne : « ceci » ; et "cela" l'été ?! Oui${NBSP}!`);
    assert.equal(frenchText(once), once);
  });
});

describe("frenchHtml", () => {
  it("sets text nodes and leaves attributes, code and preformatted text as they are", () => {
    const html = '<p>Voir <a href="https://example.org/?a=b:c" title="x : y">ici</a> : <code>a : b; c!</code></p><pre>if (a) { b ? c : d; }</pre>';
    assert.equal(frenchHtml(html), `<p>Voir <a href="https://example.org/?a=b:c" title="x : y">ici</a>${NBSP}: <code>a : b; c!</code></p><pre>if (a) { b ? c : d; }</pre>`);
  });

  it("sets apostrophes written as entities, and none in code", () => {
    assert.equal(frenchHtml("<p>l&#39;homme et <code>don't</code></p>"), "<p>l’homme et <code>don't</code></p>");
  });

  it("never breaks an entity and keeps text escaped", () => {
    assert.equal(frenchHtml("<p>Tom &amp; Jerry ; &lt;b&gt; !</p>"), `<p>Tom &amp; Jerry${NNBSP}; &lt;b&gt;${NNBSP}!</p>`);
  });

  it("works across inline elements and leaves link text that is a URL alone", () => {
    assert.equal(frenchHtml("<p><em>mot</em> ; suite</p>"), `<p><em>mot</em>${NNBSP}; suite</p>`);
    const link = '<p><a href="https://example.org/x?y">https://example.org/x?y</a></p>';
    assert.equal(frenchHtml(link), link);
  });

  it("is idempotent", () => {
    const once = frenchHtml('<p>« Citation » : <strong>fin</strong> !</p><ul><li>a ; b</li></ul>');
    assert.equal(frenchHtml(once), once);
  });
});

describe("French typography in a post's Note", () => {
  const post = { url: "https://example.org/a", title: "Un titre : enfin !", commentHtml: "<p>Voici : « ça ».</p><pre>a : b</pre>", tags: [] };

  it("applies to French posts only", () => {
    assert.ok(isFrench("fr") && isFrench("fr-CA") && !isFrench("en") && !isFrench("frr") && !isFrench(null));
    const french = noteContent({ ...post, language: "fr" }, (tag) => `https://blog.example/tags/${tag}`);
    assert.match(french, new RegExp(`Un titre${NBSP}: enfin${NNBSP}!`));
    assert.match(french, new RegExp(`Voici${NBSP}: «${NNBSP}ça${NNBSP}»`));
    assert.match(french, /<pre>a : b<\/pre>/);
    const english = noteContent({ ...post, language: "en" }, (tag) => `https://blog.example/tags/${tag}`);
    assert.match(english, /Un titre : enfin !/);
    assert.match(english, /Voici : « ça »/);
  });
});
