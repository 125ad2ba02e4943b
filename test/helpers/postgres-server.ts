// A PostgreSQL server of a test's own, which the test may stop and start again: the Debian
// binaries (/usr/lib/postgresql/N/bin), a cluster in a temporary directory, a free loopback port,
// run as the `postgres` user (through runuser when the test runs as root, as in CI).
import { spawn } from "node:child_process";
import { chmod, chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./processes.ts";

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  /** Stops the server at once (pg_ctl -m immediate), as a crash would. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

/** The directory of PostgreSQL's server binaries, or null when none is installed. */
export async function postgresBinaries(): Promise<string | null> {
  const root = "/usr/lib/postgresql";
  let versions: string[];
  try {
    versions = await readdir(root);
  } catch {
    return null;
  }
  const newest = versions.filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))[0];
  return newest === undefined ? null : join(root, newest, "bin");
}

/** Why tests of a restartable server cannot run here, or null when they can. */
export async function postgresServerUnavailable(): Promise<string | null> {
  if ((await postgresBinaries()) === null) return "no PostgreSQL server binaries in /usr/lib/postgresql";
  if (userInfo().username !== "root" && userInfo().username !== "postgres") return "needs to run as root or postgres";
  return null;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = await postgresBinaries();
  if (bin === null) throw new Error("no PostgreSQL server binaries in /usr/lib/postgresql");
  const dir = await mkdtemp(join(tmpdir(), "glose-postgres-"));
  const data = join(dir, "data");
  await chmod(dir, 0o755);
  if (userInfo().username === "root") await chown(dir, ...(await postgresIds()));
  const port = await freePort();
  await run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const pgCtl = (...args: string[]) => run(join(bin, "pg_ctl"), ["-D", data, ...args]);
  // Sockets in the cluster's own directory; fsync off: a test server, not a store of anything.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c max_connections=200`;
  const server: PostgresServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pgCtl("start", "-w", "-l", join(dir, "log"), "-o", options);
    },
    async stop() {
      await pgCtl("stop", "-w", "-m", "immediate");
    },
    async destroy() {
      await pgCtl("stop", "-w", "-m", "immediate").catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

async function postgresIds(): Promise<[number, number]> {
  const output = await run("id", ["-u", "postgres"]);
  const group = await run("id", ["-g", "postgres"]);
  return [Number(output.trim()), Number(group.trim())];
}

/** Runs a command as the postgres user; resolves to its standard output. */
function run(command: string, args: string[]): Promise<string> {
  const asPostgres = userInfo().username === "root" && command !== "id";
  const [file, argv] = asPostgres ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${stderr}${stdout}`)),
    );
  });
}
