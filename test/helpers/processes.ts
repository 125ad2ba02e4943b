// Real processes on loopback: Glose itself (node src/main.ts) and the Mastodon-like test peer.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { once } from "node:events";

const ROOT = new URL("../../", import.meta.url);

export const OWNER = "owner";
export const OWNER_PASSWORD = "correct horse battery";

export interface RunningProcess {
  readonly origin: string;
  /** The child's process id (for /proc/PID/status). */
  readonly pid: number;
  readonly output: () => string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface ProcessOptions {
  /** Node flags before the script, e.g. a preload. */
  readonly nodeArgs?: readonly string[];
}

/** Starts `node src/main.ts` with `env` and waits until /healthz answers on its own port. */
export async function startGloseProcess(
  env: Record<string, string>,
  options: ProcessOptions = {},
): Promise<RunningProcess & { port: number }> {
  const port = Number(env.PORT ?? (await freePort()));
  const origin = env.ORIGIN ?? `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warning", ...env, PORT: String(port), ORIGIN: origin },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collect(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Glose exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Glose did not start:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { origin, port, output, ...controls(child) };
}

/** Starts `node src/main.ts` as a queue worker (ROLE=worker, no HTTP) and waits until it works. */
export async function startWorkerProcess(env: Record<string, string>): Promise<RunningProcess> {
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env, ROLE: "worker" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collect(child);
  await waitFor("the worker to start", async () => {
    if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}:\n${output()}`);
    return output().includes("Queue worker started") ? true : undefined;
  }, 60_000);
  return { origin: "", output, ...controls(child) };
}

/** The settings of a Glose process for the owner's account on a free loopback port. */
export async function ownerEnv(databaseEnv: { DATABASE_URL?: string; DATA_DIR?: string }): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    ...(databaseEnv as Record<string, string>),
    PORT: String(port),
    ORIGIN: `http://127.0.0.1:${port}`,
    ACCOUNT: OWNER,
    ADMIN_PASSWORD: OWNER_PASSWORD,
    ALLOW_PRIVATE_ADDRESS: "true",
    // Deletes leave at once unless a test gives an undo window.
    DELETE_UNDO_SECONDS: "0",
  };
}

/** Starts the test peer (test/helpers/peer.ts) and waits for its address. */
export async function startPeer(
  host = "127.0.0.1",
  options: ProcessOptions & { env?: Record<string, string> } = {},
): Promise<RunningProcess & { actor: string }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "test/helpers/peer.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: host, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = collect(child);
  const [line] = (await Promise.race([
    once(child.stdout!, "data"),
    once(child, "exit").then(() => {
      throw new Error(`peer exited:\n${output()}`);
    }),
  ])) as [Buffer];
  const { origin, actor } = JSON.parse(line.toString().split("\n")[0]!) as { origin: string; actor: string };
  return { origin, actor, output, ...controls(child) };
}

function collect(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

function controls(child: ChildProcess): Pick<RunningProcess, "pid" | "stop" | "kill"> {
  const exited = once(child, "exit") as Promise<[number | null]>;
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const [code] = await exited;
      return code;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
