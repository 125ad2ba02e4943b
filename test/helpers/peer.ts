// A fediverse peer that behaves like Mastodon before 4.5, run as its own process: actors alice
// and bob (bob's alsoKnownAs names alice, for Move), draft-cavage HTTP signatures only (RFC 9421 requests get 401, as 4.3/4.4 answer), every
// incoming activity verified and recorded. The test drives it through /control/* endpoints.
//
//   PORT=0 node test/helpers/peer.ts   → prints {"port":…,"origin":…} once listening
// With TLS_CERT and TLS_KEY (files) it serves https, and PUBLIC_ORIGIN names it (https://peer.test).
import { AsyncLocalStorage } from "node:async_hooks";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createFederation, exportJwk, generateCryptoKeyPair, importJwk, MemoryKvStore, signRequest } from "@fedify/fedify";
import { Activity, Endpoints, Follow, Person, Tombstone, Undo, isActor } from "@fedify/vocab";

interface Received {
  type: string;
  id: string | null;
  json: unknown;
  /** The body as it arrived, before the peer's own JSON-LD processing. */
  raw: unknown;
  signature: "draft-cavage" | "rfc9421" | "none";
  userAgent: string | null;
  receivedAt: string;
}

const received: Received[] = [];
// With no queue, Fedify runs inbox listeners inside fetch(), so the request is still in scope.
const requestInScope = new AsyncLocalStorage<{ signature: Received["signature"]; userAgent: string | null; body: string }>();
// GET requests answered, by path: how often Glose fetched each actor.
const fetches = new Map<string, number>();
// Raw documents set through /control/serve, answered as given (broken keys and the like).
const served = new Map<string, unknown>();
const follows = new Map<string, Follow>();
const ACTORS = ["alice", "bob"];
// Paths answering 503 through /control/unavailable, with how many more GETs they refuse.
const unavailable = new Map<string, number>();
// Accounts deleted through /control/gone: their documents answer 410, as Mastodon's do.
const gone = new Set<string>();
// Aliases added through /control/alias, e.g. a Glose actor that an account moves from.
const extraAliases = new Map<string, string[]>();
const port = Number(process.env.PORT ?? 0);
// Any loopback address: tests that block the peer's server put it on a host of its own.
const host = process.env.HOST ?? "127.0.0.1";
// The origin is only known once listening; Fedify builds ids from the request URL until then.
let origin = "";

const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const keyPair = {
  privateKey: await importJwk(await exportJwk(rsa.privateKey), "private"),
  publicKey: await importJwk(await exportJwk(rsa.publicKey), "public"),
};

const federation = createFederation<void>({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true,
  firstKnock: "draft-cavage-http-signatures-12",
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (!ACTORS.includes(identifier)) return null;
    if (gone.has(identifier)) return new Tombstone({ id: ctx.getActorUri(identifier) });
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `${identifier[0]!.toUpperCase()}${identifier.slice(1)} Peer`,
      url: new URL(`/@${identifier}`, ctx.origin),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0]?.cryptographicKey,
      aliases: [
        ...(identifier === "bob" ? [ctx.getActorUri("alice")] : []),
        ...(extraAliases.get(identifier) ?? []).map((alias) => new URL(alias)),
      ],
    });
  })
  .setKeyPairsDispatcher((_ctx, identifier) => (ACTORS.includes(identifier) ? [keyPair] : []));

// Like Mastodon, the peer tells how its users open remote posts and profiles.
federation.setWebFingerLinksDispatcher(() => [
  { rel: "http://ostatus.org/schema/1.0/subscribe", template: `${origin}/authorize_interaction?uri={uri}` },
]);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Activity, async (_ctx, activity) => {
    received.push({
      type: activity.constructor.name,
      id: activity.id?.href ?? null,
      json: await activity.toJsonLd({ format: "compact" }),
      raw: JSON.parse(requestInScope.getStore()?.body || "null"),
      signature: requestInScope.getStore()?.signature ?? "none",
      userAgent: requestInScope.getStore()?.userAgent ?? null,
      receivedAt: new Date().toISOString(),
    });
  });

async function control(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const ctx = federation.createContext(request, undefined);
  const alice = ctx.getActorUri("alice");
  if (request.method === "GET" && url.pathname === "/control/received") {
    return Response.json(received);
  }
  if (request.method === "GET" && url.pathname === "/control/fetches") {
    return Response.json(Object.fromEntries(fetches));
  }
  const body = request.method === "POST" ? ((await request.json()) as Record<string, string>) : {};
  const target = body.target === undefined ? null : await ctx.lookupObject(body.target);
  if (url.pathname === "/control/follow" && isActor(target) && target.id !== null) {
    const follower = ACTORS.includes(body.as ?? "") ? body.as! : "alice";
    const follow = new Follow({
      id: new URL(`/payloads/${crypto.randomUUID()}`, ctx.origin),
      actor: ctx.getActorUri(follower),
      object: target.id,
    });
    follows.set(target.id.href, follow);
    await ctx.sendActivity({ identifier: follower }, target, follow);
    return Response.json({ id: follow.id?.href });
  }
  if (url.pathname === "/control/undo-follow" && isActor(target) && target.id !== null) {
    const follow = follows.get(target.id.href);
    if (follow === undefined) return new Response("not following", { status: 409 });
    const undo = new Undo({ id: new URL(`${follow.id?.href}/undo`), actor: alice, object: follow });
    await ctx.sendActivity({ identifier: "alice" }, target, undo);
    return Response.json({ id: undo.id?.href });
  }
  if (url.pathname === "/control/alias") {
    const name = body.name ?? "bob";
    extraAliases.set(name, [...(extraAliases.get(name) ?? []), body.alias!]);
    return Response.json({ aliases: extraAliases.get(name) });
  }
  if (url.pathname === "/control/serve") {
    const { path, document } = body as unknown as { path: string; document: unknown };
    served.set(path, document);
    return Response.json({ url: new URL(path, origin).href });
  }
  if (url.pathname === "/control/unavailable") {
    const { path, times } = body as unknown as { path: string; times: number };
    unavailable.set(path, times);
    return Response.json({ path, times });
  }
  if (url.pathname === "/control/gone") {
    gone.add(body.name ?? "alice");
    return Response.json({ gone: [...gone] });
  }
  // A GET signed as alice, as servers fetch followers-only documents.
  if (url.pathname === "/control/fetch") {
    const signed = await signRequest(
      new Request(body.url!, { headers: { Accept: "application/activity+json" } }),
      keyPair.privateKey,
      new URL(`${alice.href}#main-key`),
      { spec: "draft-cavage-http-signatures-12" },
    );
    const response = await fetch(signed, { redirect: "manual" });
    return Response.json({ status: response.status, body: await response.text() });
  }
  // Sends a payload signed like Mastodon (draft-cavage, Digest): `activity` serialized, or `raw`
  // byte for byte as given (e.g. JSON with a key written twice).
  if (url.pathname === "/control/send") {
    const sender = (body as unknown as { as?: string }).as ?? "alice";
    // A key id of one's choosing (a document set through /control/serve), signed with the peer's key.
    const keyId = (body as unknown as { keyId?: string }).keyId ?? `${ctx.getActorUri(sender).href}#main-key`;
    const payload = (body as unknown as { activity: unknown }).activity;
    const request = new Request(body.inbox!, {
      method: "POST",
      headers: { "Content-Type": "application/activity+json", Accept: "application/activity+json" },
      body: (body as unknown as { raw?: string }).raw ?? JSON.stringify(payload),
    });
    const signed = await signRequest(request, keyPair.privateKey, new URL(keyId), {
      spec: "draft-cavage-http-signatures-12",
    });
    const response = await fetch(signed);
    return Response.json({ status: response.status, body: await response.text() });
  }
  return new Response("unknown control request", { status: 400 });
}

const handle: RequestListener = async (incoming, outgoing) => {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const request = new Request(new URL(incoming.url ?? "/", origin), {
    method: incoming.method,
    headers: incoming.headers as Record<string, string>,
    body: incoming.method === "GET" || incoming.method === "HEAD" ? undefined : body,
  });
  let response: Response;
  try {
    if (request.method === "POST" && request.headers.has("signature-input")) {
      // Mastodon 4.3 and 4.4 do not verify RFC 9421 signatures.
      response = Response.json({ error: "Verification failed" }, { status: 401 });
    } else if (new URL(request.url).pathname.startsWith("/control/")) {
      response = await control(request);
    } else {
      const { pathname } = new URL(request.url);
      if (request.method === "GET") fetches.set(pathname, (fetches.get(pathname) ?? 0) + 1);
      const refusals = request.method === "GET" ? (unavailable.get(pathname) ?? 0) : 0;
      if (refusals > 0) unavailable.set(pathname, refusals - 1);
      const signature = request.headers.has("signature") ? "draft-cavage" : "none";
      const scope = { signature, userAgent: request.headers.get("user-agent"), body: body?.toString() ?? "" } as const;
      response = refusals > 0
        ? new Response("Service Unavailable", { status: 503 })
        : served.has(pathname)
        ? Response.json(served.get(pathname), { headers: { "Content-Type": "application/activity+json" } })
        : await requestInScope.run(scope, () => federation.fetch(request, { contextData: undefined }));
    }
  } catch (error) {
    response = new Response(String(error), { status: 500 });
  }
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
};

const tls = process.env.TLS_CERT === undefined ? null : { cert: readFileSync(process.env.TLS_CERT), key: readFileSync(process.env.TLS_KEY!) };
const server = tls === null ? createHttpServer(handle) : createHttpsServer(tls, handle);

server.listen(port, host, () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  origin = process.env.PUBLIC_ORIGIN ?? `http://${host}:${address.port}`;
  console.log(JSON.stringify({ port: address.port, origin, actor: `${origin}/users/alice` }));
});
