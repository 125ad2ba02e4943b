// One canonical origin: Glose behind a TLS proxy (ORIGIN=https://blog.example, requests over plain
// http) emits every URL on ORIGIN, whatever Host and X-Forwarded-* say, in every document it serves.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, request as httpRequest } from "node:http";
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { CryptographicKey, Person } from "@fedify/vocab";
import { after, before, describe, it } from "node:test";
import { updateAccount } from "../../src/data/account.ts";
import { insertReaction } from "../../src/data/reactions.ts";
import { insertReply } from "../../src/data/replies.ts";
import { createPost, type PostFederation } from "../../src/services/publishing.ts";
import { backends } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD, startTestGlose, type TestGlose } from "../helpers/glose.ts";

const ORIGIN = "https://blog.example";
const unsent: PostFederation = { published: async () => {}, edited: async () => {}, withdrawn: async () => {} };

/** What a proxy that trusts the client's headers would pass on, and what a hostile client sends. */
const HOSTILE_HEADERS = { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "http" };

/** Vocabulary and protocol identifiers: names, never fetched, that happen to be http:// IRIs. */
const NAMESPACES = [
  "http://joinmastodon.org/ns#",
  "http://schema.org#",
  "http://www.w3.org/2001/XMLSchema#",
  "http://www.w3.org/2005/Atom",
  "http://a9.com/-/spec/opensearch/1.1/",
  "http://docs.oasis-open.org/ns/xri/xrd-1.0",
  "http://ostatus.org/schema/1.0/subscribe",
  "http://webfinger.net/rel/",
  "http://nodeinfo.diaspora.software/ns/schema/",
  "http://purl.org/",
  "http://fedibird.com/ns#",
  "http://litepub.social/ns#",
];

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A raw HTTP/1.1 request, so that Host can be anything (fetch() sets it from the URL). */
function send(port: number, path: string, headers: Record<string, string>, method = "GET", body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, path, method, headers: { host: "127.0.0.1", ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString() }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Every URL in an answer's body and in its Location and Link headers. */
function urlsIn(answer: Answer): string[] {
  const text = [answer.text, answer.headers.location ?? "", answer.headers.link ?? ""].join("\n");
  return [...text.matchAll(/https?:\/\/[^\s"'<>\\)]+/g)].map((match) => match[0]);
}

function assertCanonical(answer: Answer, what: string): void {
  for (const url of urlsIn(answer)) {
    assert.doesNotMatch(url, /evil\.example|127\.0\.0\.1|localhost/, `${what}: ${url}`);
    if (url.startsWith("http://")) assert.ok(NAMESPACES.some((namespace) => url.startsWith(namespace)), `${what}: ${url}`);
  }
  const location = answer.headers.location;
  if (typeof location === "string") assert.ok(location.startsWith("/") || location.startsWith(`${ORIGIN}/`), `${what}: Location ${location}`);
}

for (const backend of backends()) {
  describe(`one canonical origin behind a proxy (${backend})`, () => {
    let glose: TestGlose;
    let port: number;
    let postId: string;
    before(async () => {
      glose = await startTestGlose(backend, { ORIGIN });
      port = glose.port!;
      const deps = { db: glose.database.db, federation: unsent };
      const start = Date.parse("2026-05-01T08:00:00Z");
      // More than a page of the outbox (20), and owner links on https only.
      for (let i = 0; i < 23; i++) {
        const result = await createPost(deps, {
          url: `https://example.org/${i}`,
          title: `Lien ${i}`,
          tags: "origine",
          pinned: i === 0,
          publishedAt: new Date(start + i * 3_600_000),
        });
        assert.ok(result.ok);
        postId = result.post.id;
      }
      const noteId = `${ORIGIN}/p/${postId}`;
      await insertReply(glose.database.db, {
        id: "https://peer.example/notes/1",
        post_id: postId,
        in_reply_to: noteId,
        actor_id: "https://peer.example/users/alice",
        url: "https://peer.example/@alice/1",
        content_html: "<p>Merci</p>",
        summary: null,
        language: "fr",
        public: true,
        published_at: new Date(),
        updated_at: null,
        deleted_at: null,
      });
      await insertReaction(glose.database.db, { activity_id: "https://peer.example/likes/1", kind: "like", post_id: postId, actor_id: "https://peer.example/users/alice" });
      await insertReaction(glose.database.db, { activity_id: "https://peer.example/boosts/1", kind: "announce", post_id: postId, actor_id: "https://peer.example/users/alice" });
      await updateAccount(glose.database.db, { fields: [{ name: "Site", value: "https://example.org/" }] });
    });
    after(() => glose.destroy());

    const json = async (path: string, headers: Record<string, string>) => {
      const answer = await send(port, path, { accept: ACTIVITY_JSON, ...headers });
      assert.equal(answer.status, 200, `${path}: ${answer.text.slice(0, 200)}`);
      assertCanonical(answer, path);
      return { answer, body: JSON.parse(answer.text) as any };
    };
    const page = async (path: string, headers: Record<string, string>, status = 200) => {
      const answer = await send(port, path, headers);
      assert.equal(answer.status, status, path);
      assertCanonical(answer, path);
      return answer;
    };
    /** A URL this Glose emitted, as a path to send again through the proxy. */
    const local = (url: string) => {
      assert.ok(url.startsWith(`${ORIGIN}/`), url);
      return url.slice(ORIGIN.length);
    };

    for (const [label, headers] of [
      ["without proxy headers", {}],
      ["with a hostile Host and X-Forwarded-*", HOSTILE_HEADERS],
    ] as const) {
      it(`serves every federation document on ORIGIN, ${label}`, async () => {
        const webfinger = await json(`/.well-known/webfinger?resource=${encodeURIComponent(`acct:${OWNER}@blog.example`)}`, headers);
        const self = webfinger.body.links.find((link: any) => link.rel === "self").href;
        assert.equal(self, `${ORIGIN}/users/${OWNER}`);
        const hostMeta = await page("/.well-known/host-meta", headers);
        assert.match(hostMeta.text, /https:\/\/blog\.example\/\.well-known\/webfinger/);
        const nodeInfoLinks = await json("/.well-known/nodeinfo", headers);
        await json(local(nodeInfoLinks.body.links[0].href), headers);

        const actor = (await json(local(self), headers)).body;
        for (const key of ["inbox", "outbox", "followers", "following", "featured", "url"]) assert.ok(actor[key].startsWith(`${ORIGIN}/`), key);

        const outbox = (await json(local(actor.outbox), headers)).body;
        const first = (await json(local(outbox.first), headers)).body;
        assert.equal(first.partOf, actor.outbox);
        assert.equal(first.orderedItems.length, 20);
        const second = (await json(local(first.next), headers)).body;
        assert.equal(second.orderedItems.length, 3);

        const followers = (await json(local(actor.followers), headers)).body;
        await json(local(followers.first), headers);
        const following = (await json(local(actor.following), headers)).body;
        await json(local(following.first), headers);
        await json(local(actor.featured), headers);

        const create = first.orderedItems[0];
        await json(local(create.id), headers);
        const note = (await json(local(create.object.id), headers)).body;
        for (const name of ["replies", "likes", "shares"]) {
          const collection = (await json(local(note[name].id), headers)).body;
          assert.equal(collection.totalItems, 1, name);
          if (collection.first !== undefined) await json(local(typeof collection.first === "string" ? collection.first : collection.first.id), headers);
        }
      });

      it(`builds every page, feed and redirect on ORIGIN, ${label}`, async () => {
        for (const path of ["/", `/p/${postId}`, "/tags", "/tags/origine", "/daily", "/search?q=lien", "/admin"]) {
          await page(path, headers, path === "/admin" ? 401 : 200);
        }
        for (const path of ["/feed.atom", "/feed.rss", "/tags/origine/feed.atom", "/tags/origine/feed.rss", "/search/feed.atom?q=lien", "/opensearch.xml"]) {
          const feed = await page(path, headers);
          assert.match(feed.text, /https:\/\/blog\.example\//, path);
        }
        const redirect = await page("/admin/login", headers, 303);
        assert.equal(redirect.headers.location, "/admin");
        // A GET on the admin without a session answers the login form, whose return path is local.
        const login = await page("/admin/posts/new?url=https%3A%2F%2Fexample.org%2F", headers, 401);
        assert.match(login.text, /name="next" value="\/admin\/posts\/new\?url=https%3A%2F%2Fexample\.org%2F"/);
      });
    }

    it("logs in through a form that the proxy passes over http", async () => {
      const form = await send(port, "/admin", HOSTILE_HEADERS);
      const csrf = /glose_csrf=([^;]+)/.exec(String(form.headers["set-cookie"]))?.[1] ?? "";
      const body = new URLSearchParams({ _csrf: csrf, password: OWNER_PASSWORD, next: "/admin/posts/new" }).toString();
      const answer = await send(port, "/admin/login", {
        ...HOSTILE_HEADERS,
        origin: ORIGIN,
        cookie: `glose_csrf=${csrf}`,
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
      }, "POST", body);
      assert.equal(answer.status, 303, answer.text);
      assertCanonical(answer, "login");
      assert.equal(answer.headers.location, "/admin/posts/new");
      assert.match(String(answer.headers["set-cookie"]), /; Secure/i);
    });

    it("links every blog page to the actor, and each permalink to its Note", async () => {
      const actorLink = `<link rel="alternate" type="application/activity+json" href="${ORIGIN}/users/${OWNER}">`;
      for (const path of ["/", "/tags", "/daily", "/search?q=lien", "/?before=x"]) {
        const answer = await send(port, path, {});
        assert.ok(answer.text.includes(actorLink), path);
      }
      // A tag page stands for the tag's own actor, which can be followed on its own.
      const tagPage = await send(port, "/tags/origine", {});
      assert.ok(tagPage.text.includes(`<link rel="alternate" type="application/activity+json" href="${ORIGIN}/users/origine">`));
      const permalink = await send(port, `/p/${postId}`, {});
      assert.ok(permalink.text.includes(`<link rel="alternate" type="application/activity+json" href="${ORIGIN}/p/${postId}">`));
      assert.ok(!permalink.text.includes(actorLink), "a permalink stands for its Note, not the actor");
    });

    it("checks signatures against ORIGIN, whatever Host the proxy passes on", async () => {
      // A remote actor of the test's own, on loopback (ALLOW_PRIVATE_ADDRESS), with a real key.
      const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      const server = createServer();
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      const actorId = `http://127.0.0.1:${(server.address() as { port: number }).port}/actor`;
      const actor = await new Person({
        id: new URL(actorId),
        inbox: new URL(`${actorId}/inbox`),
        publicKey: new CryptographicKey({ id: new URL(`${actorId}#key`), owner: new URL(actorId), publicKey: keys.publicKey }),
      }).toJsonLd();
      server.on("request", (_request, response) => {
        response.writeHead(200, { "Content-Type": ACTIVITY_JSON });
        response.end(JSON.stringify(actor));
      });
      try {
        const deliver = async (target: string, spec: "draft-cavage-http-signatures-12" | "rfc9421", headers: Record<string, string>) => {
          const body = JSON.stringify({
            "@context": "https://www.w3.org/ns/activitystreams",
            id: `${actorId}#like-${crypto.randomUUID()}`,
            type: "Like",
            actor: actorId,
            object: `${ORIGIN}/p/none`,
          });
          const unsigned = new Request(target, { method: "POST", headers: { "Content-Type": ACTIVITY_JSON }, body });
          const signed = await signRequest(unsigned, keys.privateKey, new URL(`${actorId}#key`), { spec });
          const sent = Object.fromEntries([...signed.headers].filter(([name]) => name !== "host"));
          return (await send(port, new URL(target).pathname, { ...sent, ...headers, "content-length": String(Buffer.byteLength(body)) }, "POST", body)).status;
        };
        for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"] as const) {
          // Signed for https://blog.example, as the sender saw it; the proxy passes its own Host.
          assert.equal(await deliver(`${ORIGIN}/inbox`, spec, { host: `127.0.0.1:${port}` }), 202, spec);
          assert.equal(await deliver(`${ORIGIN}/inbox`, spec, HOSTILE_HEADERS), 202, spec);
          // Signed for another server, replayed here: refused, whatever the Host says.
          assert.equal(await deliver("https://evil.example/inbox", spec, HOSTILE_HEADERS), 401, spec);
        }
      } finally {
        server.close();
      }
    });

    it("serves the actor as Mastodon reads it", async () => {
      const actor = (await json(`/users/${OWNER}`, {})).body;
      // One profile field, still an array: Mastodon ignores a lone object.
      assert.ok(Array.isArray(actor.attachment), JSON.stringify(actor.attachment));
      assert.equal(actor.attachment.length, 1);
      assert.equal(actor.attachment[0].type, "PropertyValue");
      assert.deepEqual(actor.attributionDomains, ["blog.example"]);
      const context = actor["@context"].find((entry: any) => typeof entry === "object" && "attributionDomains" in entry);
      assert.deepEqual(context?.attributionDomains, { "@id": "toot:attributionDomains", "@type": "@id" });
      assert.equal(context?.toot, "http://joinmastodon.org/ns#");
      const following = (await json(`/users/${OWNER}/following`, {})).body;
      assert.equal(following.totalItems, 0);
      assert.ok(following.first, "following has a first page");
    });

    it("addresses the public with the full IRI in every served document", async () => {
      const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
      const first = (await json(`/users/${OWNER}/outbox?cursor=`, {})).body;
      const create = first.orderedItems[0];
      const documents = [
        first,
        (await json(`/users/${OWNER}/featured`, {})).body,
        (await json(local(create.id), {})).body,
        (await json(local(create.object.id), {})).body,
      ];
      for (const document of documents) {
        const text = JSON.stringify(document);
        assert.doesNotMatch(text, /"(as:)?Public"/, text.slice(0, 300));
        assert.ok(text.includes(`"${PUBLIC}"`), text.slice(0, 300));
      }
      const note = documents[3];
      assert.ok([note.to].flat().includes(PUBLIC));
    });
  });
}
