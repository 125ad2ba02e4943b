// Cached federation documents, pages and feeds answered before Hono (early-answers.ts): the same status, headers
// and bytes as Hono's own path answers from the same cache entry, for each kind of document and
// each encoding, 304 included; the same request counts in /metrics; and nothing personal (a
// cookie, a signature) or unusual (a target to normalize) is answered there.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, startTestGlose, type TestGlose } from "../helpers/glose.ts";
import { waitFor } from "../helpers/processes.ts";
import { rawRequest } from "../helpers/raw-http.ts";

const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };
const METRICS_TOKEN = "a metrics token for the tests";
/** What Node's server adds to every answer, whichever path made it. */
const NODE_HEADERS = new Set(["date", "connection", "keep-alive"]);

for (const backend of backends()) {
  describe(`cached documents and pages answered before Hono (${backend})`, () => {
    let glose: TestGlose;
    let postId: string;

    before(async () => {
      glose = await startTestGlose(backend, { METRICS_TOKEN });
      const comment = "Un commentaire assez long pour que le document dépasse le kilo-octet. ".repeat(20);
      for (let i = 0; i < 3; i++) {
        const created = await createPost({ db: glose.database.db, federation: unsent }, { url: `https://example.org/${i}`, title: `Lien ${i}`, comment, tags: "web", pinned: i === 0 });
        assert.ok(created.ok);
        postId = created.post.id;
      }
    });
    after(() => glose.destroy());

    const get = (path: string, headers: Record<string, string>) => rawRequest(new URL(path, glose.origin).href, headers);
    /** Hono's own path, in process: the app without what is answered before it. */
    const viaHono = async (path: string, headers: Record<string, string>) => {
      const response = await glose.app!.fetch(new Request(new URL(path, glose.origin), { headers }));
      const body = Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: Object.fromEntries(response.headers), body };
    };
    /** Asks until the answer comes from the read cache: a first render may write and change the version. */
    const cached = (path: string, accept: string, extra: Record<string, string> = {}) =>
      waitFor(`${path} to be cached`, async () => {
        const rendered = glose.readCache!.counts.rendered;
        await get(path, { Accept: accept, ...extra });
        return glose.readCache!.counts.rendered === rendered ? true : undefined;
      }, 5_000);
    const requests = async () => {
      const response = await fetch(new URL("/metrics", glose.origin), { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      const text = await response.text();
      return (kind: string, status: string) => Number(new RegExp(`glose_http_requests_total\\{kind="${kind}",status="${status}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    };

    const documents: [string, () => string, string, string][] = [
      ["the actor", () => `/users/${OWNER}`, ACTIVITY_JSON, "federation"],
      ["a Note", () => `/p/${postId}`, ACTIVITY_JSON, "federation"],
      ["WebFinger", () => `/.well-known/webfinger?resource=acct:${OWNER}@${new URL(glose.origin).host}`, "application/jrd+json", "discovery"],
      ["NodeInfo", () => "/nodeinfo/2.1", "application/json", "discovery"],
      ["the outbox", () => `/users/${OWNER}/outbox`, ACTIVITY_JSON, "federation"],
      ["the outbox's first page", () => `/users/${OWNER}/outbox?cursor=`, ACTIVITY_JSON, "federation"],
      ["the featured collection", () => `/users/${OWNER}/featured`, ACTIVITY_JSON, "federation"],
      ["the followers", () => `/users/${OWNER}/followers`, ACTIVITY_JSON, "federation"],
    ];
    /** Asks `path` once in each encoding and with its ETag: answered early, as Hono answers it, counted once. */
    const assertSameAsHono = async (name: string, path: string, kind: string, asked: Record<string, string>) => {
      const plain = await get(path, asked);
      const variants: Record<string, string>[] = [{}, { "Accept-Encoding": "br" }, { "Accept-Encoding": "gzip, deflate" }, { "If-None-Match": plain.headers.etag! }];
      for (const extra of variants) {
        const headers = { ...asked, ...extra };
        const early = glose.earlyAnswers!.served;
        const before = await requests();
        const answer = await get(path, headers);
        assert.equal(glose.earlyAnswers!.served, early + 1, `${name} ${JSON.stringify(headers)} is answered before Hono`);
        const status = `${Math.floor(answer.status / 100)}xx`;
        assert.equal((await requests())(kind, status), before(kind, status) + 1, "counted once in /metrics, as Hono's path counts it");
        const hono = await viaHono(path, headers);
        assert.equal(glose.earlyAnswers!.served, early + 1);
        assert.equal(answer.status, hono.status);
        const written = Object.fromEntries(Object.entries(answer.headers).filter(([header]) => !NODE_HEADERS.has(header)));
        assert.deepEqual(written, hono.headers, `${name} ${JSON.stringify(headers)}: the same headers`);
        assert.ok(answer.body.equals(hono.body), `${name} ${JSON.stringify(headers)}: the same bytes`);
        if (kind === "page" && answer.status === 200) assert.match(answer.headers["content-security-policy"] ?? "", /default-src 'self'/);
      }
      assert.equal((await get(path, { ...asked, "If-None-Match": plain.headers.etag! })).status, 304);
    };

    for (const [name, path, accept, kind] of documents) {
      it(`answers ${name} as Hono does, in every encoding, 304 included`, async () => {
        await cached(path(), accept);
        await assertSameAsHono(name, path(), kind, { Accept: accept });
      });
    }

    const pages: [string, () => string, string, string][] = [
      ["the home page", () => "/", "text/html,application/xhtml+xml", "page"],
      ["the home page's second page", () => "/?page=2", "text/html", "page"],
      ["a permalink", () => `/p/${postId}`, "text/html", "page"],
      ["a tag page", () => "/tags/web", "text/html", "page"],
      ["the tags", () => "/tags", "*/*", "page"],
      ["the Atom feed", () => "/feed.atom", "application/atom+xml", "feed"],
      ["a tag's RSS feed", () => "/tags/web/feed.rss", "application/rss+xml", "feed"],
    ];
    for (const [name, path, accept, kind] of pages) {
      it(`answers ${name} as Hono does, per language, security headers included`, async () => {
        const french = { "Accept-Language": "fr-FR,fr;q=0.8" };
        for (const language of [{}, french]) {
          await cached(path(), accept, language);
          await assertSameAsHono(name, path(), kind, { Accept: accept, ...language });
        }
        const inFrench = await get(path(), { Accept: accept, ...french, "Accept-Encoding": "identity" });
        const inEnglish = await get(path(), { Accept: accept, "Accept-Encoding": "identity" });
        if (kind === "page") assert.notEqual(inFrench.headers.etag, inEnglish.headers.etag, "each language its own entry");
      });
    }

    it("answers the same entry whatever Host or proxy headers came, as the canonical origin does", async () => {
      const path = `/users/${OWNER}`;
      await cached(path, ACTIVITY_JSON);
      const direct = await get(path, { Accept: ACTIVITY_JSON });
      const early = glose.earlyAnswers!.served;
      const proxied = await get(path, { Accept: ACTIVITY_JSON, Host: "elsewhere.example", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "elsewhere.example" });
      assert.equal(glose.earlyAnswers!.served, early + 1);
      assert.ok(proxied.body.equals(direct.body));
      assert.doesNotMatch(proxied.body.toString(), /elsewhere/);
    });

    it("leaves personal and unusual requests to Hono", async () => {
      const path = `/p/${postId}`;
      await cached(path, ACTIVITY_JSON);
      await cached(path, "text/html");
      const early = glose.earlyAnswers!.served;
      const personal = await get(path, { Accept: ACTIVITY_JSON, Cookie: "glose_session=nothing" });
      assert.equal(personal.status, 200);
      assert.equal(personal.headers["cache-control"], "private, no-cache");
      const signed = await get(path, { Accept: ACTIVITY_JSON, Signature: 'keyId="https://elsewhere.example/key",signature="AAAA"' });
      assert.notEqual(signed.headers["cache-control"], "public, max-age=60");
      // Each twice: the first may be cached by Hono under its own URL, the second must still go to Hono.
      for (const target of [`/p/./${postId}`, `/p/${postId}?`, `/%70/${postId}`, `//p/${postId}`, `/p/${postId}/../${postId}`, `/p/%${postId.charCodeAt(0).toString(16)}${postId.slice(1)}`].flatMap((t) => [t, t])) {
        await new Promise((resolve, reject) => {
          const { hostname, port } = new URL(glose.origin);
          request({ hostname, port, path: target, headers: { Accept: ACTIVITY_JSON } }, (response) => response.resume().on("end", resolve)).on("error", reject).end();
        });
      }
      await get(path, { Accept: "text/html", Cookie: "glose_session=nothing" });
      await get(path, { Accept: "text/html", Authorization: "Bearer nothing" });
      assert.equal(glose.earlyAnswers!.served, early, "none of these was answered before Hono");
    });
  });
}
