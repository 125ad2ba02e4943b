// Test-only name resolution: host names under `.test` (RFC 2606) resolve to loopback addresses,
// so that servers on this machine have real host names, TLS certificates and handles without
// any name server. Preloaded into test processes with `--import`; GLOSE_TEST_HOSTS_FILE names a
// file of `name address` lines, read again for names not yet known (hosts are added while
// processes run). Other names resolve as usual.
import dns from "node:dns";
import { appendFileSync, readFileSync } from "node:fs";
import dnsPromises from "node:dns/promises";
import { syncBuiltinESMExports } from "node:module";

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

const hosts = new Map<string, string>();
let hostsFile = process.env.GLOSE_TEST_HOSTS_FILE;

/** Makes `name` resolve to `address` here and in every process that shares `file`. */
export function addLoopbackHost(file: string, name: string, address: string): void {
  if (!name.endsWith(".test")) throw new Error(`not a .test name: ${name}`);
  hostsFile = file;
  appendFileSync(file, `${name.toLowerCase()} ${address}\n`);
  hosts.set(name.toLowerCase(), address);
}

function resolve(hostname: string): string | null | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (!name.endsWith(".test")) return undefined;
  if (!hosts.has(name) && hostsFile !== undefined) {
    for (const line of readFileSync(hostsFile, "utf8").split("\n")) {
      const [known, address] = line.split(" ");
      if (known !== undefined && address !== undefined) hosts.set(known, address);
    }
  }
  return hosts.get(name) ?? null;
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
}

const originalLookup = dns.lookup;
const originalPromisesLookup = dnsPromises.lookup;

function lookup(hostname: string, options: unknown, callback?: LookupCallback): void {
  const done = (typeof options === "function" ? options : callback) as LookupCallback;
  const all = typeof options === "object" && options !== null && (options as dns.LookupOptions).all === true;
  const address = resolve(hostname);
  if (address === undefined) {
    (originalLookup as (...args: unknown[]) => void)(hostname, typeof options === "function" ? {} : options, done);
    return;
  }
  process.nextTick(() => {
    if (address === null) done(notFound(hostname), all ? [] : "");
    else if (all) done(null, [{ address, family: 4 }]);
    else done(null, address, 4);
  });
}

async function lookupPromise(hostname: string, options?: dns.LookupOptions): Promise<unknown> {
  const address = resolve(hostname);
  if (address === undefined) return await originalPromisesLookup(hostname, options ?? {});
  if (address === null) throw notFound(hostname);
  return options?.all === true ? [{ address, family: 4 }] : { address, family: 4 };
}

(dns as { lookup: unknown }).lookup = lookup;
(dns.promises as { lookup: unknown }).lookup = lookupPromise;
(dnsPromises as { lookup: unknown }).lookup = lookupPromise;
syncBuiltinESMExports();
