// The remote side of bench/ingest.ts, run as its own process: ACTORS actors (a0, a1, …) on one
// loopback server, each with its own key id (one RSA key shared, to start fast), every GET of an
// actor counted. POST /control/send starts signing activities as Mastodon does (draft-cavage, Digest) and
// sending them CONCURRENCY at a time; GET /control/sent answers how long they took to be accepted.
//   ACTORS=50 node bench/ingest-peer.ts   → prints {"origin":…} once listening
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFederation, exportJwk, generateCryptoKeyPair, importJwk, MemoryKvStore, signRequest } from "@fedify/fedify";
import { Endpoints, Person } from "@fedify/vocab";

const ACTORS = Number(process.env.ACTORS ?? 50);
const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const keyPair = { privateKey: await importJwk(await exportJwk(rsa.privateKey), "private"), publicKey: rsa.publicKey };
const actorFetches = new Map<string, number>();
let origin = "";
let sending: Promise<{ ms: number; statuses: Record<number, number> }> | undefined;

const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (!/^a\d+$/.test(identifier) || Number(identifier.slice(1)) >= ACTORS) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `Actor ${identifier}`,
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: keys[0]?.cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(() => [keyPair]);
federation.setInboxListeners("/users/{identifier}/inbox", "/inbox");

interface SendOrder {
  readonly inbox: string;
  readonly activities: readonly { readonly actor: number; readonly json: Record<string, unknown> }[];
  readonly concurrency: number;
}

async function send(order: SendOrder): Promise<{ ms: number; statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {};
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: order.concurrency }, async () => {
      while (next < order.activities.length) {
        const { actor, json } = order.activities[next++]!;
        const request = new Request(order.inbox, {
          method: "POST",
          headers: { "Content-Type": "application/activity+json" },
          body: JSON.stringify(json),
        });
        const keyId = new URL(`${origin}/users/a${actor}#main-key`);
        const status = await post(request, keyId);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return { ms: performance.now() - started, statuses };
}

/** Signs and sends one activity; a connection the server closed meanwhile is retried, as servers do. */
async function post(request: Request, keyId: URL): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(await signRequest(request.clone(), keyPair.privateKey, keyId, { spec: "draft-cavage-http-signatures-12" }));
      await response.body?.cancel();
      return response.status;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

const server = createServer(async (incoming, outgoing) => {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? "/", origin);
  let response: Response;
  if (url.pathname === "/control/send") {
    sending = send(JSON.parse(Buffer.concat(chunks).toString()) as SendOrder);
    response = Response.json({ started: true });
  } else if (url.pathname === "/control/sent") {
    // Answers once every activity has been answered: how long that took, and the statuses.
    response = Response.json(await sending);
  } else if (url.pathname === "/control/fetches") {
    response = Response.json(Object.fromEntries(actorFetches));
  } else {
    if (process.env.PEER_DEBUG && incoming.method === "GET") console.error("GET", url.pathname, incoming.headers.signature ? "cavage" : incoming.headers["signature-input"] ? "rfc9421" : "unsigned", incoming.headers.accept);
    if (incoming.method === "GET" && url.pathname.startsWith("/users/")) actorFetches.set(url.pathname, (actorFetches.get(url.pathname) ?? 0) + 1);
    const request = new Request(url, { method: incoming.method, headers: incoming.headers as Record<string, string> });
    response = await federation.fetch(request, { contextData: undefined });
  }
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, "127.0.0.1", () => {
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(JSON.stringify({ origin }));
});
