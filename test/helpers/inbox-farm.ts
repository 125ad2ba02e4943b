// Many inbox servers in one small process, for fan-out tests: each listens on a loopback port of
// its own and records every activity POSTed to it. Optionally, each answers 500 to its first
// FAIL_FIRST posts, takes DELAY_MS to answer each, and checks each post's HTTP signature against
// one known key (KEY: {"keyId", "jwk"}), answering 401 when it does not verify, as a real server
// would after fetching the key once.
//   COUNT=100 node test/helpers/inbox-farm.ts  → prints {"control":…,"origins":[…]} once listening
// GET /control/received on the control port answers every delivery, in the order received.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { importJwk, verifyRequest } from "@fedify/fedify";
import { CryptographicKey } from "@fedify/vocab";

export interface Delivery {
  /** Index of the receiving server. */
  readonly server: number;
  readonly status: number;
  readonly id: string;
  readonly type: string;
  readonly object: string | null;
}

export interface InboxFarm {
  /** http://127.0.0.1:PORT of each server, in index order. */
  readonly origins: string[];
  received(): Promise<Delivery[]>;
  stop(): Promise<void>;
}

export interface FarmOptions {
  readonly count: number;
  readonly failFirst?: number;
  readonly delayMs?: number;
  /** The one key whose signatures are accepted; unset: signatures are not checked. */
  readonly key?: { keyId: string; jwk: JsonWebKey };
}

export async function startInboxFarm(options: FarmOptions): Promise<InboxFarm> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: {
      PATH: process.env.PATH ?? "",
      COUNT: String(options.count),
      FAIL_FIRST: String(options.failFirst ?? 0),
      DELAY_MS: String(options.delayMs ?? 0),
      KEY: options.key === undefined ? "" : JSON.stringify(options.key),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const [line] = (await Promise.race([
    once(child.stdout!, "data"),
    exited.then(() => {
      throw new Error("the inbox farm exited");
    }),
  ])) as [Buffer];
  const { control, origins } = JSON.parse(line.toString().split("\n")[0]!) as { control: string; origins: string[] };
  return {
    origins,
    received: async () => (await (await fetch(`${control}/control/received`)).json()) as Delivery[],
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of request) body += chunk.toString();
  return body;
}

/** Whether the request carries a valid signature by `key`. */
async function signatureChecker(keyText: string): Promise<((request: IncomingMessage, body: string) => Promise<boolean>) | null> {
  if (keyText === "") return null;
  const { keyId, jwk } = JSON.parse(keyText) as { keyId: string; jwk: JsonWebKey };
  const key = new CryptographicKey({ id: new URL(keyId), publicKey: await importJwk(jwk, "public") });
  const keyCache = { get: async (id: URL) => (id.href === keyId ? key : null), set: async () => {} };
  return async (request, body) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers.set(name, value);
    const url = `http://${request.headers.host}${request.url}`;
    const verified = await verifyRequest(new Request(url, { method: "POST", headers, body }), { keyCache });
    return verified !== null;
  };
}

async function serve(): Promise<void> {
  const count = Number(process.env.COUNT ?? "1");
  const verify = await signatureChecker(process.env.KEY ?? "");
  const failFirst = Number(process.env.FAIL_FIRST ?? "0");
  const delayMs = Number(process.env.DELAY_MS ?? "0");
  const deliveries: Delivery[] = [];
  const origins: string[] = [];
  for (let server = 0; server < count; server++) {
    let posts = 0;
    const http = createServer(async (request, response) => {
      const body = await readBody(request);
      if (request.method !== "POST") {
        response.writeHead(404).end();
        return;
      }
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const status = verify !== null && !(await verify(request, body)) ? 401 : ++posts <= failFirst ? 500 : 202;
      try {
        const activity = JSON.parse(body) as { id?: string; type?: string; object?: string | { id?: string } };
        const object = typeof activity.object === "string" ? activity.object : (activity.object?.id ?? null);
        deliveries.push({ server, status, id: activity.id ?? "", type: activity.type ?? "", object });
      } catch {
        deliveries.push({ server, status: 400, id: "", type: "", object: null });
      }
      response.writeHead(status).end();
    });
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    origins.push(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
  }
  const control = createServer((request, response) => {
    if (request.url === "/control/received") {
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(deliveries));
    } else {
      response.writeHead(404).end();
    }
  });
  control.listen(0, "127.0.0.1");
  await once(control, "listening");
  const controlOrigin = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  process.stdout.write(`${JSON.stringify({ control: controlOrigin, origins })}\n`);
  process.on("SIGTERM", () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await serve();
