// Netscape bookmark files as Shaarli, Firefox, Chrome, Pinboard and linkding write them, and
// broken ones: each broken file gives one error naming its line.
import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { describe, it } from "node:test";
import { ImportFormatError, type ImportedLink } from "../../src/content/imported-link.ts";
import { parseNetscape } from "../../src/content/netscape.ts";
import { NETSCAPE_FOOTER, NETSCAPE_HEADER, netscapeEntry } from "../../src/content/netscape-export.ts";

const fixture = (name: string) => createReadStream(new URL(`../fixtures/bookmarks/${name}`, import.meta.url), { highWaterMark: 64 });

async function all(source: Parameters<typeof parseNetscape>[0]): Promise<ImportedLink[]> {
  const links: ImportedLink[] = [];
  for await (const link of parseNetscape(source)) links.push(link);
  return links;
}

async function formatError(source: Parameters<typeof parseNetscape>[0]): Promise<ImportFormatError> {
  try {
    await all(source);
  } catch (error) {
    assert.ok(error instanceof ImportFormatError, String(error));
    return error;
  }
  assert.fail("no error");
}

const failure = async (source: Parameters<typeof parseNetscape>[0]) => (await formatError(source)).message;

describe("Netscape bookmark files", () => {
  it("reads Shaarli's export: Markdown, tags, dates, private links, notes with their hash", async () => {
    const links = await all(fixture("shaarli.html"));
    assert.equal(links.length, 4);
    const [april, carnet, note, framasoft] = links as [ImportedLink, ImportedLink, ImportedLink, ImportedLink];
    assert.equal(april.url, "https://www.april.org/");
    assert.equal(april.title, "April : promouvoir et défendre le logiciel libre");
    assert.equal(april.description, "Une **association** qui défend le logiciel libre depuis 1996.\n\n- adhésion\n- campagnes");
    assert.deepEqual(april.tags, ["logiciel-libre", "association"]);
    assert.equal(april.createdAt?.toISOString(), "2024-03-02T09:00:00.000Z");
    assert.equal(april.private, false);
    assert.equal(carnet.private, true);
    assert.equal(carnet.title, "Mon carnet & mes notes <privées>");
    assert.equal(carnet.url, "https://example.org/carnet?utm_source=shaarli&id=3");
    assert.equal(note.url, null);
    assert.equal(note.shortUrl, "Ab3_dE");
    assert.deepEqual(framasoft.tags, []);
    assert.equal(framasoft.description, "");
    assert.ok(links.every((link, i) => link.place.unit === "line" && (i === 0 || link.place.number > links[i - 1]!.place.number)));
  });

  it("reads Firefox's export with its folders, keeping place: links for the importer to refuse", async () => {
    const links = await all(fixture("firefox.html"));
    assert.deepEqual(
      links.map((link) => [link.url, link.folders]),
      [
        ["https://www.mozilla.org/fr/firefox/", ["Bookmarks Toolbar"]],
        ["https://www.lemonde.fr/", ["Bookmarks Toolbar", "Lectures"]],
        ["place:sort=8&maxResults=10", []],
        ["https://developer.mozilla.org/", []],
      ],
    );
    assert.equal(links[1]!.description, "Quotidien du soir");
    assert.deepEqual(links[1]!.tags, ["presse"]);
  });

  it("reads Chrome's, Pinboard's and linkding's exports", async () => {
    const chrome = await all(fixture("chrome.html"));
    assert.deepEqual(chrome.map((link) => link.folders.join("/")), ["Bookmarks bar", "Bookmarks bar/Dev tools", "Other bookmarks"]);
    assert.equal(chrome[1]!.title, "Node.js — Run JavaScript Everywhere");
    const pinboard = await all(fixture("pinboard.html"));
    assert.deepEqual(pinboard.map((link) => link.private), [false, true, false]);
    assert.equal(pinboard[0]!.description, 'The "antisocial" bookmarking site.');
    assert.deepEqual(pinboard[2]!.tags, ["activitypub", "standards", "w3c"]);
    const linkding = await all(fixture("linkding.html"));
    assert.equal(linkding.length, 2);
    assert.equal(linkding[1]!.createdAt?.toISOString(), "2023-02-01T00:00:00.000Z");
  });

  it("reads back what the exporter writes", async () => {
    const written = {
      url: "https://example.org/?a=1&b=\"2\"",
      title: "Des <balises> & des « guillemets »",
      description: "Ligne 1\n\n**Ligne** <2> & 3",
      tags: ["fédivers", "c++"],
      createdAt: new Date("2020-02-03T04:05:06Z"),
      updatedAt: null,
      private: true,
    };
    const [link] = await all([NETSCAPE_HEADER, netscapeEntry(written), NETSCAPE_FOOTER]);
    assert.equal(link!.url, written.url);
    assert.equal(link!.title, written.title);
    assert.equal(link!.description, written.description);
    assert.deepEqual(link!.tags, written.tags);
    assert.equal(link!.createdAt?.getTime(), written.createdAt.getTime());
    assert.equal(link!.private, true);
  });

  it("refuses a truncated file, naming the line", async () => {
    const text = `${NETSCAPE_HEADER}<DT><A HREF="https://a.example/" ADD_DATE="1">A</A>\n<DT><H3>Folder</H3>\n<DL><p>\n<DT><A HREF="https://b.example/">B`;
    assert.match(await failure([text]), /^line 12: the file ends inside a link/);
    assert.match(await failure([text.slice(0, text.lastIndexOf("<DT>"))]), /^line 12: the file ends inside a folder/);
    // The same as data, for the moving page to word in the owner's language.
    assert.deepEqual((await formatError([text])).failure, { code: "ends-inside-link", line: 12 });
  });

  it("refuses a file that is not UTF-8", async () => {
    const latin1 = Buffer.from(`${NETSCAPE_HEADER}<DT><A HREF="https://a.example/">Café</A>\n${NETSCAPE_FOOTER}`, "latin1");
    assert.match(await failure([latin1]), /not UTF-8/);
  });

  it("refuses 10,000 nested folders without walking them", async () => {
    const deep = `${NETSCAPE_HEADER}${"<DT><H3>x</H3>\n<DL><p>\n".repeat(10_000)}${"</DL><p>\n".repeat(10_001)}`;
    assert.match(await failure([deep]), /folders nested deeper than 100 levels/);
  });

  it("refuses a 5 MB title before holding it whole", async () => {
    const chunks = function* () {
      yield `${NETSCAPE_HEADER}<DT><A HREF="https://a.example/">`;
      for (let i = 0; i < 80; i++) yield "x".repeat(64 * 1024);
      yield `</A>\n${NETSCAPE_FOOTER}`;
    };
    assert.match(await failure(chunks()), /^line 9: a title longer than 1000 characters/);
    assert.deepEqual((await formatError(chunks())).failure, { code: "title-too-long", line: 9, limit: 1000 });
  });

  it("refuses what is not a bookmark file", async () => {
    assert.match(await failure(["<html><body>Hello</body></html>"]), /not a Netscape bookmark file/);
    assert.match(await failure([""]), /not a Netscape bookmark file/);
  });
});
