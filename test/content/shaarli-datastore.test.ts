// Shaarli's datastore.php in its old (LinkDB arrays) and new (Bookmark objects) forms, and files
// that are not one.
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { describe, it } from "node:test";
import { ImportFormatError } from "../../src/content/imported-link.ts";
import { PhpFormatError, unserializePhp } from "../../src/content/php-unserialize.ts";
import { readShaarliDatastore } from "../../src/content/shaarli-datastore.ts";
import { datastoreFile, phpDateTime, serializePhp, type Php } from "../helpers/php-serialize.ts";

const bookmark = (id: number, fields: { url: string; title: string; shortUrl: string; tags: string[]; private: boolean; created: Php; description?: string }): Php => ({
  object: "Shaarli\\Bookmark\\Bookmark",
  properties: [
    ["id", id, "protected"],
    ["shortUrl", fields.shortUrl, "protected"],
    ["url", fields.url, "protected"],
    ["title", fields.title, "protected"],
    ["description", fields.description ?? "", "protected"],
    ["tags", { array: fields.tags.map((tag, i) => [i, tag] as [number, Php]) }, "protected"],
    ["thumbnail", false, "protected"],
    ["sticky", false, "protected"],
    ["created", fields.created, "protected"],
    ["updated", null, "protected"],
    ["private", fields.private, "protected"],
  ],
});

function formatError(file: Uint8Array): ImportFormatError {
  try {
    readShaarliDatastore(file);
  } catch (error) {
    assert.ok(error instanceof ImportFormatError, String(error));
    return error;
  }
  assert.fail("no error");
}

const failure = (file: Uint8Array) => formatError(file).message;

describe("Shaarli's datastore.php", () => {
  it("reads the old format: arrays with linkdate, space-separated tags and shorturl", () => {
    const file = datastoreFile({
      array: [
        [
          "20130101_120000",
          {
            array: [
              ["linkdate", "20130101_120000"],
              ["url", "https://sebsauvage.net/wiki/doku.php?id=php:shaarli"],
              ["title", "Shaarli – le partage de liens"],
              ["description", "Un *delicious* personnel."],
              ["tags", "php shaarli  auto-hébergement"],
              ["private", 0],
              ["shorturl", "xYz12_"],
            ],
          },
        ],
        [
          "20120505_080910",
          {
            array: [
              ["linkdate", "20120505_080910"],
              ["url", "?AbCdEf"],
              ["title", "Une note"],
              ["description", ""],
              ["tags", ""],
              ["private", 1],
            ],
          },
        ],
      ],
    });
    const links = readShaarliDatastore(file);
    assert.equal(links.length, 2);
    assert.equal(links[0]!.title, "Une note");
    assert.equal(links[0]!.url, null);
    assert.equal(links[0]!.private, true);
    assert.equal(links[0]!.createdAt?.toISOString(), "2012-05-05T08:09:10.000Z");
    assert.equal(links[1]!.url, "https://sebsauvage.net/wiki/doku.php?id=php:shaarli");
    assert.deepEqual(links[1]!.tags, ["php", "shaarli", "auto-hébergement"]);
    assert.equal(links[1]!.shortUrl, "xYz12_");
  });

  it("reads the new format: Bookmark objects with protected properties and DateTime dates, in a BookmarkArray", () => {
    const bookmarks: Php = {
      array: [
        [0, bookmark(0, { url: "https://shaarli.readthedocs.io/", title: "Shaarli docs", shortUrl: "Qq1-aB", tags: ["doc", "shaarli"], private: false, created: phpDateTime("2020-06-15 14:30:00", "Europe/Paris"), description: "**Lisez** la doc." })],
        [1, bookmark(1, { url: "https://example.org/privé", title: "Privé", shortUrl: "Zz9_xY", tags: [], private: true, created: phpDateTime("2021-01-01 00:00:00", "UTC") })],
      ],
    };
    const file = datastoreFile({ object: "Shaarli\\Bookmark\\BookmarkArray", properties: [["bookmarks", bookmarks, "protected"], ["keys", { array: [] }, "protected"]] });
    const links = readShaarliDatastore(file);
    assert.equal(links[0]!.createdAt?.toISOString(), "2020-06-15T12:30:00.000Z");
    assert.equal(links[0]!.description, "**Lisez** la doc.");
    assert.deepEqual(links[0]!.tags, ["doc", "shaarli"]);
    assert.equal(links[0]!.shortUrl, "Qq1-aB");
    assert.equal(links[1]!.private, true);
    assert.equal(links[1]!.url, "https://example.org/privé");
    assert.deepEqual(links.map((link) => link.place.unit), links.map(() => "entry"));
    assert.deepEqual(links.map((link) => link.place.number).sort(), links.map((_, i) => i + 1));
  });

  it("refuses files that are not a datastore, naming what is wrong", () => {
    assert.match(failure(Buffer.from("<html>hello</html>")), /not a Shaarli datastore\.php/);
    assert.match(failure(Buffer.from("<?php /* ###not base64### */ ?>")), /not base64/);
    assert.match(failure(Buffer.from("<?php /* aGVsbG8gd29ybGQ= */ ?>")), /not deflated/);
    const data = (text: string) => Buffer.from(`<?php /* ${deflateRawSync(Buffer.from(text)).toString("base64")} */ ?>`);
    assert.match(failure(data('s:10:"short";')), /^datastore\.php: .*at byte/);
    assert.match(failure(data("i:42;")), /not a list of links/);
    assert.match(failure(data('a:1:{i:0;s:4:"link";}')), /entry 1: not a link/);
    assert.match(failure(data('a:1:{i:0;r:1;}')), /unsupported value type "r"/);
    // The same as data, for the moving page to word in the owner's language.
    assert.deepEqual(formatError(data('a:1:{i:0;r:1;}')).failure, { code: "unserialize", php: { code: "unsupported-type", char: "r", byte: 10 } });
    assert.deepEqual(formatError(data('a:1:{i:0;s:4:"link";}')).failure, { code: "entry-not-link", entry: 1 });
  });

  it("stops at its depth limit and at its inflated size limit", () => {
    const deep = "a:1:{i:0;".repeat(100) + "N;" + "}".repeat(100);
    assert.throws(() => unserializePhp(Buffer.from(deep)), PhpFormatError);
    const bomb = Buffer.from(`<?php /* ${deflateRawSync(Buffer.alloc(2_000_000)).toString("base64")} */ ?>`);
    assert.throws(() => readShaarliDatastore(bomb, 1_000_000), /inflates to more than 1000000 bytes/);
  });

  it("counts strings in bytes, as PHP does", () => {
    assert.equal(unserializePhp(Buffer.from(serializePhp("élan – ok"))), "élan – ok");
    assert.throws(() => unserializePhp(Buffer.from('s:4:"élan";')), PhpFormatError);
  });
});
