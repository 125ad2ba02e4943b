// The checks on pictures other servers point at, and custom emoji rendering. Pure, no network:
// addresses are literal, so the public-address check needs no DNS.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emojifyHtml, emojifyText } from "../../src/content/index.ts";
import { Like } from "@fedify/vocab";
import { isMalformedRemoteInput } from "../../src/federation/remote-input.ts";
import { checkedRemoteUrl } from "../../src/federation/remote-media.ts";

describe("remote media URLs", () => {
  it("keeps http(s) URLs on public addresses", async () => {
    assert.equal(await checkedRemoteUrl("https://93.184.215.14/emoji/blobcat.png", false), "https://93.184.215.14/emoji/blobcat.png");
    assert.equal(await checkedRemoteUrl("http://93.184.215.14/a.png", false), "http://93.184.215.14/a.png");
  });

  it("drops other schemes and private addresses, unless private addresses are allowed", async () => {
    for (const url of ["javascript:alert(1)", "data:image/png;base64,AAAA", "ftp://93.184.215.14/a.png", "not a url", null]) {
      assert.equal(await checkedRemoteUrl(url, true), null, String(url));
    }
    for (const url of ["http://127.0.0.1/a.png", "https://10.1.2.3/a.png", "https://192.168.0.1/a.png", "https://[::1]/a.png", "https://169.254.169.254/latest"]) {
      assert.equal(await checkedRemoteUrl(url, false), null, url);
      assert.equal(await checkedRemoteUrl(url, true), new URL(url).href, url);
    }
  });
});

describe("custom emoji", () => {
  const blobcat = { name: ":blobcat:", url: "https://93.184.215.14/blobcat.png" };

  it("replaces shortcodes in text with small images", () => {
    assert.equal(
      emojifyHtml("<p>Salut :blobcat: et :inconnu:</p>", [blobcat]),
      '<p>Salut <img class="emoji" src="https://93.184.215.14/blobcat.png" alt=":blobcat:" title=":blobcat:" width="20" height="20" loading="lazy"> et :inconnu:</p>',
    );
  });

  it("never touches tags and attributes, and escapes names", () => {
    const html = '<p><a href="https://x.example/:blobcat:/" title="&quot;:blobcat:&quot;">:blobcat:</a></p>';
    const out = emojifyHtml(html, [blobcat]);
    assert.ok(out.startsWith('<p><a href="https://x.example/:blobcat:/" title="&quot;:blobcat:&quot;"><img class="emoji"'), out);
    assert.equal(emojifyText('<b>Alice</b> :blobcat:', [blobcat]).split("<img")[0], "&lt;b&gt;Alice&lt;/b&gt; ");
    const hostile = { name: ":x:", url: 'https://93.184.215.14/x.png" onerror="alert(1)' };
    assert.doesNotMatch(emojifyText(":x:", [hostile]), /" onerror=/);
  });
});

describe("malformed remote input", () => {
  it("is JSON-LD that cannot be expanded or a key that cannot be read, not any error", () => {
    const jsonld = Object.assign(new Error("loading remote context failed"), { name: "jsonld.InvalidUrl" });
    assert.ok(isMalformedRemoteInput(jsonld));
    assert.ok(isMalformedRemoteInput(new Error("wrapped", { cause: Object.assign(new Error("asn"), { name: "AsnError" }) })));
    assert.ok(!isMalformedRemoteInput(new Error("connection refused")));
    assert.ok(!isMalformedRemoteInput("text"));
  });

  it("is a TypeError thrown by Fedify's parser, not one of Glose's own", async () => {
    const parsing = await Like.fromJsonLd({ "@context": "https://www.w3.org/ns/activitystreams", type: "Like", published: 1 }).catch((error) => error);
    assert.ok(parsing instanceof TypeError, String(parsing));
    assert.ok(isMalformedRemoteInput(parsing));
    assert.ok(!isMalformedRemoteInput(new TypeError("x.substring is not a function")));
  });
});
