// Many inbox servers in one small process, for fan-out tests: each listens on a loopback port of
// its own and records every activity POSTed to it (signatures are not checked). Optionally, each
// answers 500 to its first FAIL_FIRST posts, and takes DELAY_MS to answer each.
//   COUNT=100 node test/helpers/inbox-farm.ts  → prints {"control":…,"origins":[…]} once listening
// GET /control/received on the control port answers every delivery, in the order received.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

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

export async function startInboxFarm(options: { count: number; failFirst?: number; delayMs?: number }): Promise<InboxFarm> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: {
      PATH: process.env.PATH ?? "",
      COUNT: String(options.count),
      FAIL_FIRST: String(options.failFirst ?? 0),
      DELAY_MS: String(options.delayMs ?? 0),
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

async function serve(): Promise<void> {
  const count = Number(process.env.COUNT ?? "1");
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
      const status = ++posts <= failFirst ? 500 : 202;
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
