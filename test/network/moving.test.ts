// Moving in and out in the deployment shape: Glose at https://blog.test, a Mastodon-like peer at
// https://peer.test whose alice follows the blog, and a small Shaarli API on loopback. Imports
// reach followers only as one announcement when asked; moves work both ways.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { signShaarliToken, verifyShaarliToken } from "../../src/web/api/jwt.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { backends, createTestDatabaseEnv } from "../helpers/database.ts";
import { ACTIVITY_JSON, OWNER, OWNER_PASSWORD } from "../helpers/glose.ts";
import { startNetwork, type HttpsPeer, type Network } from "../helpers/https-network.ts";
import { peerControl as peerClient } from "../helpers/peer-control.ts";
import { ownerEnv, waitFor } from "../helpers/processes.ts";

const SHAARLI_SECRET = "a shaarli api secret";
const BLOG = "https://blog.test";
const ACTOR = `${BLOG}/users/${OWNER}`;

const bookmarks = (entries: string) =>
  `<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<DL><p>\n${entries}</DL><p>\n`;

/** Shaarli's GET /api/v1/links, with its JWT check: two links, one private, one note. */
async function startShaarli(): Promise<Server> {
  const links = [
    { id: 1, url: "https://shaarli.example/one", shorturl: "Sh4ar1", title: "Un lien de Shaarli", description: "Du *Markdown*.", tags: ["shaarli", "import"], private: false, created: "2019-05-01T10:00:00+02:00", updated: "2019-05-01T10:00:00+02:00" },
    { id: 2, url: "/shaare/n0te-2", shorturl: "n0te-2", title: "Une note privée", description: "Rien que pour moi.", tags: [], private: true, created: "2018-01-01T00:00:00+00:00", updated: "" },
  ];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!verifyShaarliToken(request.headers.authorization, SHAARLI_SECRET).ok) return void response.writeHead(401).end();
    if (url.pathname !== "/shaarli/api/v1/links" || url.searchParams.get("visibility") !== "all") return void response.writeHead(404).end();
    const offset = Number(url.searchParams.get("offset"));
    const limit = Number(url.searchParams.get("limit"));
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(links.slice(offset, offset + limit)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

for (const backend of backends()) {
  describe(`moving in and out over https (${backend})`, () => {
    let database: Awaited<ReturnType<typeof createTestDatabaseEnv>>;
    let network: Network;
    let peer: HttpsPeer;
    let shaarli: Server;
    let admin: AdminClient;
    before(async () => {
      database = await createTestDatabaseEnv(backend);
      network = await startNetwork();
      peer = await network.startPeer("peer.test");
      await network.startGlose("blog.test", await ownerEnv(database.env));
      shaarli = await startShaarli();
      admin = new AdminClient(BLOG);
      await admin.logIn(OWNER_PASSWORD);
      const follow = await peerControl("follow", { target: `@${OWNER}@blog.test` });
      assert.equal(follow.status, 200);
      await waitFor("the Accept", async () => (await received()).find((activity) => activity.type === "Accept"));
    });
    after(async () => {
      shaarli?.close();
      await network?.close();
      await database?.drop();
    });

    const peerControl = (name: string, body: unknown) =>
      fetch(`${peer.origin}/control/${name}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const received = async () => (await (await fetch(`${peer.origin}/control/received`)).json()) as any[];
    const creates = async () => (await received()).filter((activity) => activity.type === "Create");

    const upload = async (path: string, fields: Record<string, string>, file?: string) => {
      return await admin.upload(path, fields, file === undefined ? {} : { file: new File([file], "bookmarks.html", { type: "text/html" }) });
    };
    /** The moving page once no import is waiting or running. */
    const settledPage = () =>
      waitFor("the import to finish", async () => {
        const text = await (await admin.request("/admin/moving")).text();
        return /<strong>(waiting|running)/.test(text) ? undefined : text;
      });
    const actor = async () => (await (await fetch(ACTOR, { headers: { Accept: ACTIVITY_JSON } })).json()) as any;

    it("imports a bookmark file in the background without sending anything, after a dry run", async () => {
      const file = bookmarks(
        `<DT><A HREF="https://example.org/ancien" ADD_DATE="1500000000" TAGS="vieux">Un vieux lien</A>\n<DD>Gardé depuis 2017.\n` +
          `<DT><A HREF="https://example.org/récent" ADD_DATE="${Math.floor(Date.now() / 1000) - 60}" PRIVATE="0">Un lien d'hier</A>\n`,
      );
      const dry = await upload("/admin/moving/import", { duplicates: "skip", dry_run: "1" }, file);
      assert.equal(dry.status, 303);
      assert.match(await settledPage(), /dry run, nothing written<\/strong> · 2 new, 0 duplicates/);
      assert.equal((await fetch(`${BLOG}/`).then((r) => r.text())).includes("Un vieux lien"), false);

      const real = await upload("/admin/moving/import", { duplicates: "skip" }, file);
      assert.equal(real.status, 303);
      assert.match(await settledPage(), /<strong>done<\/strong> · 2 new/);
      const home = await (await fetch(`${BLOG}/`)).text();
      assert.match(home, /Un vieux lien/);
      assert.match(home, /Un lien d’hier/);
      const outbox = await (await fetch(`${ACTOR}/outbox?cursor=`, { headers: { Accept: ACTIVITY_JSON } })).json() as any;
      assert.equal(outbox.orderedItems.length, 2);
    });

    it("refuses a broken file with the line at fault, importing nothing", async () => {
      const broken = bookmarks(`<DT><A HREF="https://example.org/cassé" ADD_DATE="1500000000">Cassé</A>\n<DT><H3>Dossier</H3>\n<DL><p>\n`).replace(/<\/DL><p>\n$/, "");
      const response = await upload("/admin/moving/import", { duplicates: "skip" }, broken);
      assert.equal(response.status, 303, await response.clone().text());
      assert.match(await settledPage(), /failed, nothing imported<\/strong><pre class="hint">line \d+: the file ends inside a folder/);
      assert.doesNotMatch(await (await fetch(`${BLOG}/`)).text(), /Cassé/);
    });

    it("imports a live Shaarli through its API, announces it in one post, and redirects its permalinks", async () => {
      const port = (shaarli.address() as AddressInfo).port;
      const wrong = await admin.submit("/admin/moving/shaarli", { url: `http://127.0.0.1:${port}/shaarli/`, secret: "not the secret", duplicates: "skip" });
      assert.equal(wrong.status, 303);
      assert.match(await settledPage(), /refused the API secret/);
      const response = await admin.submit("/admin/moving/shaarli", {
        url: `http://127.0.0.1:${port}/shaarli/`,
        secret: SHAARLI_SECRET,
        duplicates: "skip",
        announce: "1",
      });
      assert.equal(response.status, 303);
      assert.match(await settledPage(), /<strong>done<\/strong> · 2 new, 0 duplicates \(0 updated\), 1 private/);
      const announced = await waitFor("the announcement", async () => {
        const found = (await creates()).find((activity) => /Imported 2 links from Shaarli/.test(activity.json.object.content));
        return found;
      });
      assert.ok(announced);
      // Nothing else was ever sent: no Create for the imported posts, old or recent.
      assert.equal((await creates()).length, 1);

      const permalink = await fetch(`${BLOG}/shaare/Sh4ar1`, { redirect: "manual" });
      assert.equal(permalink.status, 301);
      const post = await fetch(new URL(permalink.headers.get("location")!, BLOG));
      assert.match(await post.text(), /Un lien de Shaarli/);
      const query = await fetch(`${BLOG}/?Sh4ar1`, { redirect: "manual" });
      assert.equal(query.headers.get("location"), permalink.headers.get("location"));
      assert.equal((await fetch(`${BLOG}/shaare/zzzzzz`, { redirect: "manual" })).status, 404);
      // The private note's permalink leads to a post only its owner sees.
      const note = await fetch(`${BLOG}/?n0te-2`, { redirect: "manual" });
      assert.equal(note.status, 301);
      assert.notEqual((await fetch(new URL(note.headers.get("location")!, BLOG))).status, 200);
      void signShaarliToken;
    });

    it("moves in: the old account becomes an alias of the actor", async () => {
      const unknown = await admin.submit("/admin/moving/alias", { handle: "@nobody@peer.test" });
      assert.equal(unknown.status, 400);
      const response = await admin.submit("/admin/moving/alias", { handle: "@alice@peer.test" });
      assert.equal(response.status, 303);
      assert.deepEqual([(await actor()).alsoKnownAs].flat(), [`${peer.origin}/users/alice`]);
    });

    it("moves in: followers who arrive once the old account names the blog are shown as moved from it, for one fetch of it", async () => {
      const other = peerClient((await network.startPeer("other.test")).origin);
      const oldServer = peerClient(peer.origin);
      const accepts = async (peerReceived: () => Promise<any[]>, count: number) =>
        await waitFor("the Accepts", async () => ((await peerReceived()).filter((activity) => activity.type === "Accept").length >= count ? true : undefined));
      // Former accounts on the peer, as Mastodon serves them: `movedTo` once the move has begun.
      const serveAccount = (name: string, movedTo?: string) =>
        oldServer.control("serve", {
          path: `/users/${name}`,
          document: {
            "@context": ["https://www.w3.org/ns/activitystreams", { movedTo: { "@id": "as:movedTo", "@type": "@id" } }],
            id: `${peer.origin}/users/${name}`,
            type: "Person",
            preferredUsername: name,
            inbox: `${peer.origin}/users/${name}/inbox`,
            ...(movedTo === undefined ? {} : { movedTo }),
          },
        });
      const fetchesOf = async (name: string) => (await oldServer.fetches())[`/users/${name}`] ?? 0;
      const followerRow = async (handle: string) => {
        const rows = (await (await admin.request("/admin/followers")).text()).split("<li>");
        return rows.find((row) => row.includes(handle)) ?? assert.fail(`no follower ${handle}`);
      };

      // The old account has not moved (yet): a follower arriving now is an ordinary one.
      await serveAccount("unmoved");
      assert.equal((await admin.submit("/admin/moving/alias", { handle: `${peer.origin}/users/unmoved` })).status, 303);
      await other.control("follow", { target: `@${OWNER}@blog.test`, as: "alice" });
      await accepts(other.received, 1);
      assert.doesNotMatch(await followerRow("@alice@other.test"), /moved from/);

      // The account that moved here: its followers arrive by themselves, each with a plain Follow.
      await serveAccount("moved", ACTOR);
      assert.equal((await admin.submit("/admin/moving/alias", { handle: `${peer.origin}/users/moved` })).status, 303);
      const fetchedBefore = await fetchesOf("moved");
      await other.control("follow", { target: `@${OWNER}@blog.test`, as: "bob" });
      await accepts(other.received, 2);
      await oldServer.control("follow", { target: `@${OWNER}@blog.test`, as: "bob" });
      await accepts(oldServer.received, 2);
      assert.match(await followerRow("@bob@other.test"), /moved from @moved@peer\.test/);
      assert.match(await followerRow("@bob@peer.test"), /moved from @moved@peer\.test/);
      // Someone who followed before the move and sends their Follow again stays as they were.
      await other.control("follow", { target: `@${OWNER}@blog.test`, as: "alice" });
      await accepts(other.received, 3);
      assert.doesNotMatch(await followerRow("@alice@other.test"), /moved from/);
      // The move was proved once, not once per follower.
      assert.equal(await fetchesOf("moved"), fetchedBefore + 1);
      assert.match(await (await admin.request("/admin/moving")).text(), /2 of your followers came from @moved@peer\.test/);
    });

    it("moves out: refused until the new account names the blog, then Move to every follower", async () => {
      const refused = await admin.submit("/admin/moving/move", { handle: "@bob@peer.test" });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /does not list this blog among its aliases/);
      assert.equal((await actor()).movedTo, undefined);

      assert.equal((await peerControl("alias", { name: "bob", alias: ACTOR })).status, 200);
      const moved = await admin.submit("/admin/moving/move", { handle: "@bob@peer.test" });
      assert.equal(moved.status, 303);
      const move = await waitFor("the Move", async () => (await received()).find((activity) => activity.type === "Move"));
      assert.equal(move.signature, "draft-cavage");
      assert.equal(move.json.actor, ACTOR);
      assert.equal(move.json.object, ACTOR);
      assert.equal(move.json.target, `${peer.origin}/users/bob`);
      assert.equal((await actor()).movedTo, `${peer.origin}/users/bob`);
      assert.match(await (await fetch(`${BLOG}/`)).text(), /This blog has moved to <a href="https:\/\/peer\.test\/users\/bob"/);
    });

    // Last: the proxy in front of Glose may not reuse a connection that Glose closed on a 413.
    it("takes files over the default 1 MiB body limit from the owner only", async () => {
      const large = bookmarks(`<!-- ${"x".repeat(2 * 1024 * 1024)} -->\n<DT><A HREF="https://example.org/gros" ADD_DATE="1500000000">Gros</A>\n`);
      const accepted = await upload("/admin/moving/import", { duplicates: "skip", dry_run: "1" }, large);
      assert.equal(accepted.status, 303);
      assert.match(await settledPage(), /dry run, nothing written<\/strong> · 1 new/);
      const form = new FormData();
      form.set("file", new Blob([large]), "bookmarks.html");
      const stranger = await fetch(`${BLOG}/admin/moving/import`, { method: "POST", headers: { Origin: BLOG }, body: form });
      assert.equal(stranger.status, 413);
    });
  });
}
