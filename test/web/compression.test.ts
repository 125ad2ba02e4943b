// Compressed answers: brotli or gzip as asked, identity otherwise, each encoding with its own
// strong ETag and 304; a cached page compressed once per version; downloads and images untouched;
// static files under versioned, immutable URLs; HEAD answered without a body.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { compressionCounts, negotiateEncoding } from "../../src/web/compression.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";
import { rawRequest } from "../helpers/raw-http.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const STATIC = new URL("../../src/web/static/", import.meta.url);
const decoders = { br: brotliDecompressSync, gzip: gunzipSync } as const;

describe("Accept-Encoding negotiation", () => {
  it("prefers brotli, honours q-values and refusals", () => {
    assert.equal(negotiateEncoding("gzip, deflate, br"), "br");
    assert.equal(negotiateEncoding("gzip"), "gzip");
    assert.equal(negotiateEncoding("br;q=0.5, gzip"), "gzip");
    assert.equal(negotiateEncoding("br;q=0, gzip;q=0"), undefined);
    assert.equal(negotiateEncoding("identity"), undefined);
    assert.equal(negotiateEncoding("*"), "br");
    assert.equal(negotiateEncoding(""), undefined);
    assert.equal(negotiateEncoding(undefined), undefined);
  });
});

for (const backend of backends()) {
  describe(`compression and static files (${backend})`, () => {
    let glose: TestGlose;
    let postId: string;

    before(async () => {
      glose = await startTestGlose(backend);
      const comment = "Un commentaire assez long pour que la page dépasse largement le kilo-octet. ".repeat(20);
      const created = await createPost({ db: glose.database.db, federation: unsent }, { url: "https://example.org/compression", title: "Compresser", comment, tags: "web" });
      assert.ok(created.ok);
      postId = created.post.id;
    });
    after(() => glose.destroy());

    const get = (path: string, headers: Record<string, string> = {}, method = "GET") => rawRequest(new URL(path, glose.origin).href, headers, method);
    /** Asks until the answer comes from the read cache: a first render may write and change the version. */
    const cached = (path: string, accept: string) =>
      waitFor(`${path} to be cached`, async () => {
        const rendered = glose.readCache!.counts.rendered;
        await get(path, { Accept: accept });
        return glose.readCache!.counts.rendered === rendered ? true : undefined;
      }, 5_000);

    for (const [name, path, accept] of [
      ["the home page", "/", "text/html"],
      ["a permalink", () => `/p/${postId}`, "text/html"],
      ["the actor", `/users/${OWNER}`, ACTIVITY_JSON],
      ["the Atom feed", "/feed.atom", "application/atom+xml"],
    ] as const) {
      it(`compresses ${name} as asked, with an ETag and a 304 for each encoding`, async () => {
        const target = typeof path === "string" ? path : path();
        await cached(target, accept);
        const plain = await get(target, { Accept: accept });
        assert.equal(plain.status, 200);
        assert.equal(plain.headers["content-encoding"], undefined, "identity when not asked");
        assert.match(plain.headers.vary ?? "", /Accept-Encoding/);
        assert.ok(plain.body.byteLength >= 1024);
        const identity = await get(target, { Accept: accept, "Accept-Encoding": "identity" });
        assert.equal(identity.headers["content-encoding"], undefined);
        const etags = new Set([plain.headers.etag]);
        for (const encoding of ["br", "gzip"] as const) {
          const response = await get(target, { Accept: accept, "Accept-Encoding": encoding });
          assert.equal(response.status, 200);
          assert.equal(response.headers["content-encoding"], encoding);
          assert.match(response.headers.vary ?? "", /Accept-Encoding/);
          assert.ok(response.body.byteLength < plain.body.byteLength, `${encoding} is smaller`);
          assert.deepEqual(decoders[encoding](response.body), plain.body);
          const etag = response.headers.etag!;
          assert.match(etag, /^"/, "a strong ETag");
          etags.add(etag);
          const notModified = await get(target, { Accept: accept, "Accept-Encoding": encoding, "If-None-Match": etag });
          assert.equal(notModified.status, 304);
          assert.equal(notModified.body.byteLength, 0);
          assert.equal(notModified.headers.etag, etag);
          // The plain answer's ETag does not stand for the compressed one.
          const other = await get(target, { Accept: accept, "Accept-Encoding": encoding, "If-None-Match": plain.headers.etag! });
          assert.equal(other.status, 200);
        }
        assert.equal(etags.size, 3, "each encoding has its own ETag");
      });
    }

    it("compresses a cached page once per encoding, not per request", async () => {
      const path = `/p/${postId}`;
      await cached(path, "text/html");
      await get(path, { Accept: "text/html", "Accept-Encoding": "br" });
      await get(path, { Accept: "text/html", "Accept-Encoding": "gzip" });
      const before = { ...compressionCounts };
      for (let i = 0; i < 5; i++) {
        for (const encoding of ["br", "gzip"]) assert.equal((await get(path, { Accept: "text/html", "Accept-Encoding": encoding })).status, 200);
      }
      assert.deepEqual(compressionCounts, before);
    });

    it("answers HEAD with the headers of GET and no body", async () => {
      for (const path of ["/", `/p/${postId}`, "/static/glose.css"]) {
        const head = await get(path, { Accept: "text/html", "Accept-Encoding": "br" }, "HEAD");
        assert.equal(head.status, 200, path);
        assert.equal(head.body.byteLength, 0);
        assert.equal(head.headers["content-encoding"], "br", path);
        assert.match(head.headers["content-type"] ?? "", /text\//);
      }
    });

    it("compresses pages rendered for the owner as they stream, and leaves downloads alone", async () => {
      const admin = new AdminClient(glose.origin);
      await admin.logIn(OWNER_PASSWORD);
      const cookie = admin.cookieHeader;
      const page = await get("/admin/posts/new", { Cookie: cookie, "Accept-Encoding": "gzip" });
      assert.equal(page.status, 200);
      assert.equal(page.headers["content-encoding"], "gzip");
      assert.match(gunzipSync(page.body).toString(), /<form/);
      const download = await get("/admin/moving/export?selection=all", { Cookie: cookie, "Accept-Encoding": "gzip, br" });
      assert.equal(download.status, 200);
      assert.equal(download.headers["content-encoding"], undefined);
      assert.match(download.body.toString(), /NETSCAPE-Bookmark-file/);
    });

    it("leaves images and small answers uncompressed", async () => {
      const png = await get("/static/glose-icon-180.png", { "Accept-Encoding": "br, gzip" });
      assert.equal(png.status, 200);
      assert.equal(png.headers["content-encoding"], undefined);
      const health = await get("/healthz", { "Accept-Encoding": "br, gzip" });
      assert.equal(health.headers["content-encoding"], undefined);
    });

    it("links pages to versioned static files, immutable, named after their bytes", async () => {
      const home = (await get("/", { Accept: "text/html" })).body.toString();
      const permalink = (await get(`/p/${postId}`, { Accept: "text/html" })).body.toString();
      for (const [name, page] of [["glose.css", home], ["blog.js", home], ["glose.css", permalink]] as const) {
        const hash = createHash("sha256").update(readFileSync(new URL(name, STATIC))).digest("hex").slice(0, 10);
        const [stem, extension] = name.split(".");
        const url = `/static/${stem}.${hash}.${extension}`;
        assert.ok(page.includes(`"${url}"`), `the page links ${url}`);
        const versioned = await get(url);
        assert.equal(versioned.status, 200);
        assert.equal(versioned.headers["cache-control"], "public, max-age=31536000, immutable");
        assert.deepEqual(versioned.body, readFileSync(new URL(name, STATIC)));
        const unversioned = await get(`/static/${name}`);
        assert.equal(unversioned.status, 200);
        assert.equal(unversioned.headers["cache-control"], "public, max-age=300");
        assert.deepEqual(unversioned.body, versioned.body);
      }
      assert.equal((await get("/static/glose.0000000000.css")).status, 404, "another version is not this one");
    });

    it("serves every file of the static folder with the type of its extension", async () => {
      const types: Record<string, RegExp> = { css: /^text\/css/, js: /^text\/javascript/, svg: /^image\/svg\+xml/, png: /^image\/png/ };
      for (const name of readdirSync(STATIC)) {
        const response = await get(`/static/${name}`);
        assert.equal(response.status, 200, name);
        const type = types[name.split(".").pop()!];
        if (type !== undefined) assert.match(response.headers["content-type"] ?? "", type, name);
      }
    });

    it("serves a favicon, Glose's own without an avatar", async () => {
      const icon = await get("/favicon.ico");
      assert.equal(icon.status, 200);
      assert.equal(icon.headers["content-type"], "image/x-icon");
      assert.deepEqual([...icon.body.subarray(0, 6)], [0, 0, 1, 0, 1, 0], "an ICO file with one image");
      assert.deepEqual(icon.body.subarray(22), readFileSync(new URL("glose-icon-32.png", STATIC)));
      const home = (await get("/", { Accept: "text/html" })).body.toString();
      assert.match(home, /<link rel="icon" type="image\/png" sizes="32x32" href="\/static\/glose-icon-32\.[0-9a-f]{10}\.png">/);
      assert.match(home, /<link rel="apple-touch-icon" href="\/static\/glose-icon-180\.[0-9a-f]{10}\.png">/);
      const head = await get("/favicon.ico", {}, "HEAD");
      assert.equal(head.status, 200);
      assert.equal(head.headers["content-type"], "image/x-icon");
      assert.equal(head.body.byteLength, 0);
      const ignored = await fetch(new URL("/favicon.ico", glose.origin), { headers: { Accept: ACTIVITY_JSON } });
      assert.equal(ignored.status, 200);
      await ignored.body?.cancel();
    });
  });
}
