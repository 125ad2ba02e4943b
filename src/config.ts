// The only reader of the environment: parse once, freeze, and refuse to start on a bad value.
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export type Role = "all" | "web" | "worker";
export type LogLevel = "trace" | "debug" | "info" | "warning" | "error" | "fatal";

export interface Config {
  readonly port: number;
  readonly origin: string;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly account: string | null;
  readonly adminPassword: string | null;
  readonly apiSecret: string | null;
  readonly allowPrivateAddress: boolean;
  /** Whether a reverse proxy in front sets X-Forwarded-For (the client's address for throttling). */
  readonly trustProxy: boolean;
  /** Whether each new post's link is sent to the Wayback Machine to be saved. */
  readonly archiveOnPublish: boolean;
  /** The bearer token that opens /metrics; null keeps it closed. */
  readonly metricsToken: string | null;
  /** Memory for serialized federation documents and public pages, in bytes; 0 turns the cache off. */
  readonly readCacheBytes: number;
  /** The embedded database's page cache, in megabytes (PGLITE_BUFFERS_MB, default 16). */
  readonly pgliteBuffersMb: number;
  readonly role: Role;
  /** Deliveries a worker process runs at once. */
  readonly deliveryConcurrency: number;
  /** Deliveries to one server (inbox host) running at once, across all workers. */
  readonly deliveriesPerServer: number;
  readonly logLevel: LogLevel;
  /** Retries of a failed delivery before Fedify gives up on it (DELIVERY_RETRIES, default 10). */
  readonly deliveryRetries: number;
  /** How long a deleted post can be brought back, its Delete held back meanwhile (DELETE_UNDO_SECONDS, default 600; 0: no undo). */
  readonly deleteUndoSeconds: number;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * The embedded database's page cache (`shared_buffers`). PGlite's own default, PostgreSQL's
 * 128 MB, is all resident in the process, and WebAssembly memory never shrinks; a page that
 * misses is read from the operating system's file cache.
 */
export const DEFAULT_PGLITE_BUFFERS_MB = 16;

const ROLES: readonly Role[] = ["all", "web", "worker"];
const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warning", "error", "fatal"];
// The same rule Mastodon applies to remote usernames, kept to lowercase so handles never differ by case.
export const USERNAME_PATTERN = /^[a-z0-9_]+([.-]+[a-z0-9_]+)*$/;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the configuration from `env`; throws a `ConfigError` naming every bad variable. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === "" ? undefined : raw;
  };

  const portText = value("PORT") ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    problems.push(`PORT must be a port number from 1 to 65535, not "${portText}"`);
  }

  let origin = `http://localhost:${portText}`;
  const originText = value("ORIGIN");
  if (originText !== undefined) {
    const url = URL.canParse(originText) ? new URL(originText) : null;
    if (url === null || !["http:", "https:"].includes(url.protocol) || url.host === "") {
      problems.push(`ORIGIN must be an absolute http(s) URL such as https://blog.example, not "${originText}"`);
    } else if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
      problems.push(`ORIGIN must be an origin without a path, query or fragment, not "${originText}"`);
    } else {
      origin = url.origin;
    }
  }

  const databaseUrl = value("DATABASE_URL") ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql://`);
  }

  const account = value("ACCOUNT")?.toLowerCase() ?? null;
  if (account !== null && (!USERNAME_PATTERN.test(account) || account.length > 64)) {
    problems.push(`ACCOUNT must be a username of letters, digits and underscores (dots and dashes inside), not "${env.ACCOUNT}"`);
  }
  const adminPassword = value("ADMIN_PASSWORD") ?? null;
  if (adminPassword !== null && adminPassword.length < 8) {
    problems.push("ADMIN_PASSWORD must be at least 8 characters long");
  }
  if ((account === null) !== (adminPassword === null)) {
    problems.push("ACCOUNT and ADMIN_PASSWORD must be set together (or both left unset to use the setup page)");
  }
  const apiSecret = value("API_SECRET") ?? null;
  if (apiSecret !== null && apiSecret.length < 16) {
    problems.push("API_SECRET must be at least 16 characters long");
  }

  const allowText = (value("ALLOW_PRIVATE_ADDRESS") ?? "false").toLowerCase();
  if (!["true", "false", "1", "0"].includes(allowText)) {
    problems.push(`ALLOW_PRIVATE_ADDRESS must be true or false, not "${env.ALLOW_PRIVATE_ADDRESS}"`);
  }

  const archiveText = (value("ARCHIVE_ON_PUBLISH") ?? "false").toLowerCase();
  if (!["true", "false", "1", "0"].includes(archiveText)) {
    problems.push(`ARCHIVE_ON_PUBLISH must be true or false, not "${env.ARCHIVE_ON_PUBLISH}"`);
  }

  const trustText = (value("TRUST_PROXY") ?? "false").toLowerCase();
  if (!["true", "false", "1", "0"].includes(trustText)) {
    problems.push(`TRUST_PROXY must be true or false, not "${env.TRUST_PROXY}"`);
  }

  const metricsToken = value("METRICS_TOKEN") ?? null;
  if (metricsToken !== null && metricsToken.length < 16) {
    problems.push("METRICS_TOKEN must be at least 16 characters long");
  }

  const cacheText = value("READ_CACHE_MB") ?? "32";
  const readCacheMb = /^\d{1,5}$/.test(cacheText) ? Number(cacheText) : NaN;
  if (Number.isNaN(readCacheMb)) problems.push(`READ_CACHE_MB must be a whole number of megabytes, not "${cacheText}"`);

  const buffersText = value("PGLITE_BUFFERS_MB") ?? String(DEFAULT_PGLITE_BUFFERS_MB);
  const pgliteBuffersMb = Number(buffersText);
  if (!/^\d+$/.test(buffersText) || pgliteBuffersMb < 1 || pgliteBuffersMb > 1024) {
    problems.push(`PGLITE_BUFFERS_MB must be a whole number of megabytes from 1 to 1024, not "${buffersText}"`);
  }

  const role = (value("ROLE") ?? "all") as Role;
  if (!ROLES.includes(role)) {
    problems.push(`ROLE must be one of ${ROLES.join(", ")}, not "${role}"`);
  } else if (role !== "all" && databaseUrl === null) {
    problems.push(`ROLE=${role} needs DATABASE_URL: the embedded database serves a single process`);
  }

  const count = (name: string, fallback: number, max: number): number => {
    const text = value(name) ?? String(fallback);
    const parsed = Number(text);
    if (!/^\d+$/.test(text) || parsed < 1 || parsed > max) problems.push(`${name} must be a whole number from 1 to ${max}, not "${text}"`);
    return parsed;
  };
  const deliveryConcurrency = count("DELIVERY_CONCURRENCY", 32, 256);
  const deliveriesPerServer = count("DELIVERIES_PER_SERVER", 4, 64);

  const logLevel = (value("LOG_LEVEL") ?? "info").toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${env.LOG_LEVEL}"`);
  }

  const retriesText = value("DELIVERY_RETRIES") ?? "10";
  const deliveryRetries = Number(retriesText);
  if (!/^\d+$/.test(retriesText) || deliveryRetries > 100) {
    problems.push(`DELIVERY_RETRIES must be a number from 0 to 100, not "${retriesText}"`);
  }

  const undoText = value("DELETE_UNDO_SECONDS") ?? "600";
  const deleteUndoSeconds = Number(undoText);
  if (!/^\d+$/.test(undoText) || deleteUndoSeconds > 86_400) {
    problems.push(`DELETE_UNDO_SECONDS must be a number of seconds from 0 to 86400, not "${undoText}"`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    port,
    origin,
    databaseUrl,
    dataDir: resolve(value("DATA_DIR") ?? "data"),
    account,
    adminPassword,
    apiSecret,
    allowPrivateAddress: allowText === "true" || allowText === "1",
    trustProxy: trustText === "true" || trustText === "1",
    archiveOnPublish: archiveText === "true" || archiveText === "1",
    metricsToken,
    readCacheBytes: readCacheMb * 1024 * 1024,
    pgliteBuffersMb,
    role,
    deliveryConcurrency,
    deliveriesPerServer,
    logLevel,
    deliveryRetries,
    deleteUndoSeconds,
  });
}

/** The process environment, completed by a `.env` file in the working directory if there is one. */
export function loadEnvironment(): Env {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return process.env;
}
