// The real network's shape on loopback: servers with host names under `.test`, each on port 443
// of its own loopback address, with certificates from a throwaway CA that this process and its
// children trust (NODE_EXTRA_CA_CERTS). Glose runs as it is deployed: ORIGIN=https://… behind a
// TLS-terminating proxy that forwards plain http with X-Forwarded-* headers. Handles resolve
// through WebFinger over https, as between real servers.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { once } from "node:events";
import { promisify } from "node:util";
import { addLoopbackHost } from "./loopback-dns.ts";
import { startGloseProcess, startPeer, type RunningProcess } from "./processes.ts";

const run = promisify(execFile);
const DNS_PRELOAD = new URL("./loopback-dns.ts", import.meta.url).pathname;

export interface HttpsGlose extends RunningProcess {
  /** https://name, through the proxy. */
  readonly origin: string;
  /** Glose's own plain-http address, as the proxy reaches it. */
  readonly directOrigin: string;
}

export interface HttpsPeer extends RunningProcess {
  readonly origin: string;
  readonly actor: string;
  readonly name: string;
}

export interface Network {
  /** What a child process needs to resolve the names and trust the CA. */
  readonly env: Record<string, string>;
  /** Node flags for a child process (the name-resolution preload). */
  readonly nodeArgs: readonly string[];
  readonly caFile: string;
  /** Gives `name` a loopback address and a certificate; returns the address. */
  addHost(name: string): Promise<{ address: string; cert: string; key: string }>;
  /** The Mastodon-like test peer (test/helpers/peer.ts) at https://name. */
  startPeer(name: string): Promise<HttpsPeer>;
  /** Glose at https://name behind a TLS proxy; `env` as from ownerEnv() (ORIGIN and PORT replaced). */
  startGlose(name: string, env: Record<string, string>): Promise<HttpsGlose>;
  /** An https server of the test's own at https://name. */
  serve(name: string, handler: http.RequestListener): Promise<https.Server>;
  close(): Promise<void>;
}

// Port 443 of 127.X.0.N, X claimed by this process for its lifetime with a lock file, so that
// test processes running side by side never want the same address.
let subnet: number | undefined;
let nextAddress = 10;

function claimSubnet(): number {
  if (subnet !== undefined) return subnet;
  const locks = join(tmpdir(), "glose-test-subnets");
  mkdirSync(locks, { recursive: true });
  for (let attempt = 0; attempt < 250; attempt++) {
    const candidate = 1 + ((process.pid + attempt) % 250);
    const lock = join(locks, String(candidate));
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
    } catch {
      if (isAlive(Number(readFileSync(lock, "utf8")))) continue;
      writeFileSync(lock, String(process.pid));
    }
    process.once("exit", () => { try { unlinkSync(lock); } catch { /* already gone */ } });
    return (subnet = candidate);
  }
  throw new Error("no free loopback subnet for the test network");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function startNetwork(): Promise<Network> {
  const dir = await mkdtemp(join(tmpdir(), "glose-network-"));
  const caFile = join(dir, "ca.pem");
  const caKey = join(dir, "ca.key");
  await openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", caKey,
    "-out", caFile, "-days", "2", "-subj", "/CN=Glose test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  const caPem = await readFile(caFile, "utf8");
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), caPem]);

  const hosts = new Map<string, { address: string; cert: string; key: string }>();
  const servers: https.Server[] = [];
  const processes: RunningProcess[] = [];
  const hostsFile = join(dir, "hosts");
  await writeFile(hostsFile, "");
  const env = () => ({ NODE_EXTRA_CA_CERTS: caFile, GLOSE_TEST_HOSTS_FILE: hostsFile });
  const nodeArgs = ["--import", DNS_PRELOAD];

  const addHost = async (name: string) => {
    const known = hosts.get(name);
    if (known !== undefined) return known;
    const address = `127.${claimSubnet()}.0.${nextAddress++}`;
    const base = join(dir, name);
    await openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${base}.key`,
      "-out", `${base}.csr`, "-subj", `/CN=${name}`);
    await writeFile(`${base}.ext`, `subjectAltName=DNS:${name}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    await openssl("x509", "-req", "-in", `${base}.csr`, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial",
      "-out", `${base}.pem`, "-days", "2", "-extfile", `${base}.ext`);
    const host = { address, cert: `${base}.pem`, key: `${base}.key` };
    hosts.set(name, host);
    addLoopbackHost(hostsFile, name, address);
    return host;
  };

  const serve = async (name: string, handler: http.RequestListener) => {
    const host = await addHost(name);
    const server = https.createServer({ cert: await readFile(host.cert), key: await readFile(host.key) }, handler);
    server.listen(443, host.address);
    await once(server, "listening");
    servers.push(server);
    return server;
  };

  return {
      env: env(),
    nodeArgs,
    caFile,
    addHost,
    serve,
    async startPeer(name) {
      const host = await addHost(name);
      const peer = await startPeer(host.address, {
        nodeArgs,
        env: { ...env(), PORT: "443", TLS_CERT: host.cert, TLS_KEY: host.key, PUBLIC_ORIGIN: `https://${name}` },
      });
      processes.push(peer);
      return { ...peer, name };
    },
    async startGlose(name, gloseEnv) {
      await addHost(name);
      const origin = `https://${name}`;
      const glose = await startGloseProcess({ ...gloseEnv, ...env(), ORIGIN: origin }, { nodeArgs });
      processes.push(glose);
      await serve(name, proxyTo(glose.port));
      return { ...glose, origin, directOrigin: `http://127.0.0.1:${glose.port}` };
    },
    async close() {
      await Promise.all(processes.map((process) => process.stop()));
      await Promise.all(servers.map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TLS-terminating reverse proxy as the README configures nginx: plain http to Glose, X-Forwarded-*. */
function proxyTo(port: number): http.RequestListener {
  return (request, response) => {
    const headers = {
      ...request.headers,
      "x-forwarded-proto": "https",
      "x-forwarded-host": request.headers.host ?? "",
      "x-forwarded-for": request.socket.remoteAddress ?? "",
    };
    const upstream = http.request({ host: "127.0.0.1", port, method: request.method, path: request.url, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  };
}

async function openssl(...args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
}
