// The Shaarli REST API over real HTTP: a client signing its own tokens creates, lists, edits and
// deletes links and tags; every bad token gets 401 and changes nothing. Federation is a recorder
// here: what is sent is tested in federation/publishing.test.ts.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { parseConfig } from "../../src/config.ts";
import { insertAccount, updateAccount } from "../../src/data/account.ts";
import { signShaarliToken, verifyShaarliToken } from "../../src/web/api/jwt.ts";
import type { PostFederation } from "../../src/services/publishing.ts";
import { apiRoutes } from "../../src/web/api.ts";
import { backends, createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { OWNER } from "../helpers/glose.ts";
import { freePort } from "../helpers/processes.ts";

const SECRET = "the API secret of this test blog";
const ATOM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A token made the way Shaarli's documentation shows clients making it, without Glose's code. */
function clientToken(secret: string, iat: number, header: object = { typ: "JWT", alg: "HS512" }, hash = "sha512"): string {
  const content = `${b64(JSON.stringify(header, null, 4))}.${b64(JSON.stringify({ iat }))}`;
  return `${content}.${b64(createHmac(hash, secret).update(content).digest())}`;
}

describe("Shaarli tokens", () => {
  const at = new Date("2026-05-01T12:00:00Z");
  const iat = at.getTime() / 1000;

  it("accepts a token signed with the secret within 9 minutes of its iat, either way", () => {
    for (const offset of [0, -539, 539, -540, 540]) {
      assert.deepEqual(verifyShaarliToken(`Bearer ${signShaarliToken(SECRET, iat + offset)}`, SECRET, at), { ok: true }, String(offset));
    }
    assert.deepEqual(verifyShaarliToken(`bearer ${clientToken(SECRET, iat)}`, SECRET, at), { ok: true });
  });

  it("refuses everything else, with a reason", () => {
    const refused = (authorization: string | undefined) => {
      const check = verifyShaarliToken(authorization, SECRET, at);
      assert.equal(check.ok, false, authorization);
      return check.ok ? "" : check.reason;
    };
    assert.match(refused(undefined), /no Authorization/);
    assert.match(refused(`Bearer ${signShaarliToken(SECRET, iat - 541)}`), /expired/);
    assert.match(refused(`Bearer ${signShaarliToken(SECRET, iat + 541)}`), /future/);
    assert.match(refused(`Bearer ${signShaarliToken("another secret", iat)}`), /signature/);
    assert.match(refused(`Bearer ${clientToken(SECRET, iat, { typ: "JWT", alg: "HS256" })}`), /algorithm HS256/);
    assert.match(refused(`Bearer ${clientToken(SECRET, iat, { typ: "JWT", alg: "HS256" }, "sha256")}`), /signature/);
    const unsigned = `${b64(JSON.stringify({ typ: "JWT", alg: "none" }))}.${b64(JSON.stringify({ iat }))}.`;
    assert.match(refused(`Bearer ${unsigned}`), /signature/);
    const [header, payload] = signShaarliToken(SECRET, iat).split(".");
    assert.match(refused(`Bearer ${header}.${payload}`), /malformed/);
    assert.match(refused(`Basic ${b64("owner:password")}`), /not a Bearer/);
    const noIat = `${header}.${b64("{}")}`;
    assert.match(refused(`Bearer ${noIat}.${b64(createHmac("sha512", SECRET).update(noIat).digest())}`), /no iat/);
    assert.equal(verifyShaarliToken(`Bearer ${signShaarliToken("", iat)}`, "", at).ok, false);
  });
});

type Sent = { event: keyof PostFederation; id: string };

for (const backend of backends()) {
  describe(`Shaarli REST API (${backend})`, () => {
    let database: TestDatabase;
    let server: ServerType;
    let origin: string;
    const sent: Sent[] = [];
    const record = (event: keyof PostFederation) => async (post: { id: string }) => {
      sent.push({ event, id: post.id });
    };

    before(async () => {
      database = await createTestDatabase(backend);
      await insertAccount(database.db, { username: OWNER, password_hash: "not used here", api_secret: SECRET });
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      const federation: PostFederation = { published: record("published"), edited: record("edited"), withdrawn: record("withdrawn") };
      const config = parseConfig({ PORT: String(port), ORIGIN: origin });
      const app = new Hono().route("/api/v1", apiRoutes({ config, db: database.db, publishing: { db: database.db, federation } }));
      server = await new Promise<ServerType>((resolve) => {
        const listening = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(listening));
      });
    });
    after(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    });

    const call = async (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => {
      const { body } = options;
      const response = await fetch(`${origin}/api/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${clientToken(SECRET, now())}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...options.headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: text === "" ? undefined : (JSON.parse(text) as any) };
    };
    const create = async (link: Record<string, unknown>) => {
      const response = await call("POST", "/links", { body: link });
      assert.equal(response.status, 201, JSON.stringify(response.json));
      return response.json;
    };
    const sentFor = (id: string) => sent.filter((entry) => entry.id === id).map((entry) => entry.event);
    const snapshot = async () => {
      const posts = await database.db.selectFrom("posts").selectAll().orderBy("id").execute();
      const history = await database.db.selectFrom("post_history").selectAll().orderBy("id").execute();
      return JSON.stringify({ posts, history, sent: sent.length });
    };

    it("creates, reads, replaces and deletes a link, federating each step", async () => {
      const created = await call("POST", "/links", {
        body: {
          url: "https://example.org/article?utm_source=shaarli&id=7",
          title: "Un article « important »",
          description: "Mon *commentaire*.",
          tags: ["web", "Fédivers"],
          private: false,
        },
      });
      assert.equal(created.status, 201);
      const link = created.json;
      assert.match(link.id, /^[a-z2-9]{8}$/);
      assert.equal(created.headers.get("location"), `/api/v1/links/${link.id}`);
      assert.deepEqual(
        { ...link, created: undefined, updated: undefined },
        {
          id: link.id,
          url: "https://example.org/article?id=7",
          shorturl: link.id,
          title: "Un article « important »",
          description: "Mon *commentaire*.",
          tags: ["web", "Fédivers"],
          private: false,
          created: undefined,
          updated: undefined,
        },
      );
      assert.match(link.created, ATOM);
      assert.equal(link.updated, link.created);
      assert.deepEqual(sentFor(link.id), ["published"]);

      const fetched = await call("GET", `/links/${link.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.json, link);

      // PUT replaces the whole link: the description and tags it leaves out are gone.
      const replaced = await call("PUT", `/links/${link.id}`, {
        body: { url: "https://example.org/article?id=7", title: "Titre corrigé", tags: "corrigé", created: "2026-01-05T10:00:00+01:00" },
      });
      assert.equal(replaced.status, 200, JSON.stringify(replaced.json));
      assert.equal(replaced.json.title, "Titre corrigé");
      assert.equal(replaced.json.description, "");
      assert.deepEqual(replaced.json.tags, ["corrigé"]);
      assert.equal(replaced.json.created, "2026-01-05T09:00:00+00:00");
      assert.ok(Date.parse(replaced.json.updated) > Date.parse(replaced.json.created));
      assert.deepEqual(sentFor(link.id), ["published", "edited"]);

      const deleted = await call("DELETE", `/links/${link.id}`);
      assert.equal(deleted.status, 204);
      assert.deepEqual(sentFor(link.id), ["published", "edited", "withdrawn"]);
      const afterDelete: [string, unknown][] = [["GET", undefined], ["PUT", { title: "Revenant" }], ["DELETE", undefined]];
      for (const [method, body] of afterDelete) {
        const gone = await call(method, `/links/${link.id}`, { body });
        assert.equal(gone.status, 404, method);
        assert.deepEqual(gone.json, { message: "Link not found" });
      }
      const unknown = await call("GET", "/links/zzzzzzzz");
      assert.equal(unknown.status, 404);

      const history = await call("GET", "/history");
      assert.equal(history.status, 200);
      const mine = history.json.filter((entry: any) => entry.id === link.id);
      assert.deepEqual(mine.map((entry: any) => entry.event), ["DELETED", "UPDATED", "CREATED"]);
      for (const entry of mine) assert.match(entry.datetime, ATOM);
    });

    it("keeps private links and notes to the blog, and maps private to Glose's visibilities", async () => {
      const note = await create({ title: "Une note privée", description: "Pour moi seul.", private: true });
      assert.equal(note.private, true);
      assert.equal(note.url, `${origin}/p/${note.id}`);
      assert.deepEqual(sentFor(note.id), []);
      const row = await database.db.selectFrom("posts").select(["url", "visibility"]).where("id", "=", note.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { url: null, visibility: "private" });

      // Made public by an edit, it is sent then.
      const published = await call("PUT", `/links/${note.id}`, { body: { title: "Une note publique", private: "false" } });
      assert.equal(published.json.private, false);
      assert.deepEqual(sentFor(note.id), ["published"]);

      // With private as the default: an absent flag is private, `false` is public.
      await updateAccount(database.db, { default_visibility: "private" });
      try {
        const implicit = await create({ url: "https://example.org/default-private", title: "Implicite" });
        assert.equal(implicit.private, true);
        const explicit = await create({ url: "https://example.org/explicitly-public", title: "Explicite", private: false });
        const visibility = await database.db.selectFrom("posts").select("visibility").where("id", "=", explicit.id).executeTakeFirstOrThrow();
        assert.equal(visibility.visibility, "public");
      } finally {
        await updateAccount(database.db, { default_visibility: "public" });
      }

      // An edit from a Shaarli app never widens a followers-only post.
      const followers = await create({ url: "https://example.org/followers", title: "Abonnés", private: false });
      await database.db.updateTable("posts").set({ visibility: "followers" }).where("id", "=", followers.id).execute();
      const edited = await call("PUT", `/links/${followers.id}`, { body: { url: "https://example.org/followers", title: "Abonnés !", private: false } });
      assert.equal(edited.status, 200);
      const after = await database.db.selectFrom("posts").select("visibility").where("id", "=", followers.id).executeTakeFirstOrThrow();
      assert.equal(after.visibility, "followers");
    });

    it("answers 409 with the existing link for a URL already shared", async () => {
      const first = await create({ url: "https://example.org/twice", title: "Une fois" });
      const before = await snapshot();
      const again = await call("POST", "/links", { body: { url: "https://example.org/twice?utm_medium=feed", title: "Deux fois" } });
      assert.equal(again.status, 409);
      assert.deepEqual(again.json, first);
      const other = await create({ url: "https://example.org/other", title: "Autre" });
      const after = await snapshot();
      const clash = await call("PUT", `/links/${other.id}`, { body: { url: "https://example.org/twice", title: "Autre" } });
      assert.equal(clash.status, 409);
      assert.equal(clash.json.id, first.id);
      assert.equal(await snapshot(), after);
      assert.notEqual(before, after);
    });

    it("refuses bad input with 400 and Shaarli's error body, creating nothing", async () => {
      const before = await snapshot();
      const cases: [unknown, RegExp][] = [
        ["{not json", /Invalid request content/],
        ["[1, 2]", /Invalid request content/],
        [{ url: 42 }, /Invalid url/],
        [{ url: "javascript:alert(1)", title: "XSS" }, /Invalid url/],
        [{ title: "Tags", tags: { web: true } }, /Invalid tags/],
        [{ title: "Date", created: "yesterday" }, /Invalid created/],
        [{}, /needs a url, a title or a description/],
      ];
      for (const [body, message] of cases) {
        const response = await call("POST", "/links", { body });
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.deepEqual(Object.keys(response.json), ["message"]);
        assert.match(response.json.message, message);
      }
      for (const query of ["offset=abc", "limit=-1", "limit=some"]) {
        const response = await call("GET", `/links?${query}`);
        assert.equal(response.status, 400, query);
        assert.match(response.json.message, /Invalid (offset|limit)/);
      }
      assert.equal((await call("GET", "/history?since=last+week")).status, 400);
      assert.equal(await snapshot(), before);
    });

    it("lists links newest first, with offset, limit, search terms, tags and visibility", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        const link = await create({
          url: `https://example.org/serie/${i}`,
          title: `Lien numéro ${i}`,
          tags: ["série", i % 2 ? "pair" : "impair"],
          private: i === 3,
          created: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
        });
        ids.push(link.id);
      }
      const percent = await create({ url: "https://example.org/percent", title: "Pourcentage", description: "Vraiment 100% sûr", tags: "série" });
      const list = async (query: string) => {
        const response = await call("GET", `/links?${query}`);
        assert.equal(response.status, 200, query);
        return response.json.map((link: any) => link.id) as string[];
      };
      const numbers = (...indexes: number[]) => indexes.map((i) => ids[i]!);

      const firstPage = await list("searchtags=s%C3%A9rie");
      assert.equal(firstPage.length, 20);
      assert.deepEqual(firstPage, [percent.id, ...numbers(24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6)]);
      assert.deepEqual(await list("searchtags=s%C3%A9rie&offset=21&limit=5"), numbers(4, 3, 2, 1, 0));
      assert.equal((await list("searchtags=s%C3%A9rie&limit=all")).length, 26);
      assert.equal((await list("searchtags=s%C3%A9rie+pair&limit=all")).length, 12);
      assert.equal((await list("searchtags=S%C3%89RIE+-pair&limit=all")).length, 14);
      assert.deepEqual(await list("searchterm=LIEN+7"), numbers(17, 7));
      assert.deepEqual(await list("searchterm=numéro+-lien"), []);
      assert.deepEqual(await list("searchterm=%22num%C3%A9ro+2%22&searchtags=impair"), numbers(24, 22, 20, 2));
      assert.deepEqual(await list("searchterm=100%25"), [percent.id]);
      assert.deepEqual(await list("searchterm=%25"), [percent.id]);
      assert.deepEqual(await list("searchterm=_"), []);
      assert.deepEqual(await list("searchterm=serie%2F1&searchtags=impair"), numbers(18, 16, 14, 12, 10));
      assert.deepEqual(await list("searchterm=impair+numéro+1"), numbers(18, 16, 14, 12, 10));
      assert.deepEqual(await list("visibility=private&searchtags=s%C3%A9rie"), numbers(3));
      assert.equal((await list("visibility=public&searchtags=s%C3%A9rie&limit=all")).length, 25);
      assert.equal((await list("visibility=anything&searchtags=s%C3%A9rie&limit=all")).length, 26);
      const link = (await call("GET", "/links?searchtags=s%C3%A9rie&limit=1")).json[0];
      assert.deepEqual(Object.keys(link), ["id", "url", "shorturl", "title", "description", "tags", "private", "created", "updated"]);
    });

    it("counts, renames, merges and removes tags, editing each post", async () => {
      const tags = await call("GET", "/tags");
      assert.equal(tags.status, 200);
      const counts = Object.fromEntries(tags.json.map((tag: any) => [tag.name, tag.occurrences]));
      assert.equal(counts["série"], 26);
      assert.equal(counts.impair, 13);
      assert.equal(counts.pair, 12);
      const sorted = [...tags.json].sort((a, b) => b.occurrences - a.occurrences || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      assert.deepEqual(tags.json, sorted);
      assert.deepEqual((await call("GET", "/tags?offset=1&limit=2")).json, tags.json.slice(1, 3));
      const publicTags = (await call("GET", "/tags?visibility=public")).json;
      assert.equal(publicTags.find((tag: any) => tag.name === "série").occurrences, 25);

      assert.deepEqual((await call("GET", "/tags/s%C3%A9rie")).json, { name: "série", occurrences: 26 });
      assert.deepEqual((await call("GET", "/tags/PAIR")).json, { name: "pair", occurrences: 12 });
      const missing = await call("GET", "/tags/absent");
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json, { message: "Tag not found" });
      assert.equal((await call("PUT", "/tags/absent", { body: { name: "other" } })).status, 404);
      assert.equal((await call("DELETE", "/tags/absent")).status, 404);
      const noName = await call("PUT", "/tags/pair", { body: { title: "impair" } });
      assert.equal(noName.status, 400);
      assert.deepEqual(noName.json, { message: "New tag name is required in the request body" });
      assert.equal((await call("PUT", "/tags/pair", { body: "{" })).status, 400);

      const pairIds: string[] = (await call("GET", "/links?searchtags=pair&limit=all")).json.map((link: any) => link.id);
      const sentBefore = sent.length;
      const renamed = await call("PUT", "/tags/pair", { body: { name: "Impair" } });
      assert.equal(renamed.status, 200);
      assert.deepEqual(renamed.json, { name: "impair", occurrences: 25 });
      assert.equal((await call("GET", "/tags/pair")).status, 404);
      // Each public post is edited, so its followers get an Update; the private one sends nothing.
      const updates = sent.slice(sentBefore);
      assert.ok(updates.every((entry) => entry.event === "edited"));
      const privateIds = new Set(
        (await database.db.selectFrom("posts").select("id").where("visibility", "=", "private").execute()).map((row) => row.id),
      );
      assert.ok(pairIds.some((id) => privateIds.has(id)));
      assert.deepEqual(updates.map((entry) => entry.id).sort(), pairIds.filter((id) => !privateIds.has(id)).sort());
      const one = (await call("GET", `/links/${pairIds[0]}`)).json;
      assert.deepEqual(one.tags, ["série", "impair"]);

      const removed = await call("DELETE", "/tags/impair");
      assert.equal(removed.status, 204);
      assert.equal((await call("GET", "/tags/impair")).status, 404);
      const after = (await call("GET", "/links?searchtags=s%C3%A9rie&limit=all")).json;
      assert.ok(after.every((link: any) => !link.tags.includes("impair")));
      const history = (await call("GET", "/history?limit=25")).json;
      assert.ok(history.every((entry: any) => entry.event === "UPDATED"));
    });

    it("pages the history and keeps what follows `since`", async () => {
      const all = (await call("GET", "/history")).json;
      assert.ok(all.length > 60);
      assert.deepEqual((await call("GET", "/history?offset=2&limit=3")).json, all.slice(2, 5));
      const mark = new Date().toISOString();
      const link = await create({ url: "https://example.org/since", title: "Depuis" });
      const since = await call("GET", `/history?since=${encodeURIComponent(mark)}`);
      assert.equal(since.status, 200);
      assert.ok(since.json.length >= 1);
      assert.deepEqual(since.json[0], { event: "CREATED", id: link.id, datetime: since.json[0].datetime });
      const later = new Date(Date.now() + 60_000).toISOString().replace("Z", "+00:00");
      assert.deepEqual((await call("GET", `/history?since=${encodeURIComponent(later)}`)).json, []);
    });

    it("tells the counters and settings", async () => {
      const info = await call("GET", "/info");
      assert.equal(info.status, 200);
      const live = await database.db.selectFrom("posts").select(["visibility"]).where("deleted_at", "is", null).execute();
      assert.equal(info.json.global_counter, live.length);
      assert.equal(info.json.private_counter, live.filter((post) => post.visibility === "private").length);
      assert.ok(info.json.private_counter > 0);
      assert.deepEqual(info.json.settings, {
        title: OWNER,
        header_link: `${origin}/`,
        timezone: "UTC",
        enabled_plugins: [],
        default_private_links: false,
        tags_separator: " ",
      });
    });

    it("accepts tokens within 9 minutes either way", async () => {
      for (const offset of [-480, 480]) {
        const response = await call("GET", "/info", { headers: { Authorization: `Bearer ${signShaarliToken(SECRET, now() + offset)}` } });
        assert.equal(response.status, 200, String(offset));
      }
    });

    it("answers 401 to every bad token, changing nothing", async () => {
      const victim = await create({ url: "https://example.org/victim", title: "Victime", tags: "cible" });
      const before = await snapshot();
      const iat = now();
      const hs512 = (header: object) => clientToken(SECRET, iat, header);
      const unauthorized: Record<string, Record<string, string>> = {
        expired: { Authorization: `Bearer ${clientToken(SECRET, iat - 600)}` },
        future: { Authorization: `Bearer ${clientToken(SECRET, iat + 600)}` },
        forged: { Authorization: `Bearer ${clientToken("not the secret", iat)}` },
        "alg none": { Authorization: `Bearer ${b64(JSON.stringify({ typ: "JWT", alg: "none" }))}.${b64(JSON.stringify({ iat }))}.` },
        HS256: { Authorization: `Bearer ${clientToken(SECRET, iat, { typ: "JWT", alg: "HS256" }, "sha256")}` },
        "HS512 signature, HS256 header": { Authorization: `Bearer ${hs512({ typ: "JWT", alg: "HS256" })}` },
        malformed: { Authorization: "Bearer not-a-token" },
        "not bearer": { Authorization: `Basic ${b64(`${OWNER}:${SECRET}`)}` },
        "secret as token": { Authorization: `Bearer ${SECRET}` },
        missing: { Authorization: "" },
      };
      const requests: [string, string, unknown?][] = [
        ["GET", "/info"],
        ["GET", "/links"],
        ["POST", "/links", { url: "https://example.org/intruder", title: "Intrus" }],
        ["PUT", `/links/${victim.id}`, { url: "https://example.org/victim", title: "Défiguré" }],
        ["DELETE", `/links/${victim.id}`],
        ["PUT", "/tags/cible", { name: "pirate" }],
        ["DELETE", "/tags/cible"],
        ["POST", "/links", "{not json"],
        ["GET", "/nowhere"],
      ];
      for (const [name, headers] of Object.entries(unauthorized)) {
        for (const [method, path, body] of requests) {
          const response = await call(method, path, { body, headers });
          assert.equal(response.status, 401, `${name}: ${method} ${path}`);
          assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
          assert.match(String((response.json as { message: string }).message), /^Not authorized: /, `${name}: ${method} ${path}`);
        }
      }
      const withoutHeader = await fetch(`${origin}/api/v1/links`, { method: "POST", body: JSON.stringify({ title: "Sans en-tête" }) });
      assert.equal(withoutHeader.status, 401);
      assert.deepEqual(await withoutHeader.json(), { message: "Not authorized: no Authorization header" });
      assert.equal(await snapshot(), before);
      assert.equal((await call("GET", `/links/${victim.id}`)).json.title, "Victime");
    });
  });
}
