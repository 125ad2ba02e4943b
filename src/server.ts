// Assembles a running Glose from a configuration: database, account, keys, federation, web
// server and queue worker. main.ts and the tests both start Glose through startGlose().
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import { getLogger } from "@logtape/logtape";
import { sql } from "kysely";
import { ensureConfiguredAccount } from "./services/setup.ts";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { openDatabase, type Database } from "./data/client.ts";
import { migrate } from "./data/migrate.ts";
import { createFederation } from "./federation/index.ts";
import { ensureKeyPairs } from "./federation/keys.ts";
import { GloseKvStore } from "./federation/kv-store.ts";
import { GloseMessageQueue } from "./federation/message-queue.ts";
import { DeliveryCounts } from "./federation/delivery-counts.ts";
import { fetchLinkPreview } from "./remote/link-preview.ts";
import { installOutgoingAgent } from "./remote/outgoing-http.ts";
import type { WebEnv } from "./web/context.ts";
import { EarlyAnswers } from "./web/early-answers.ts";
import { Metrics } from "./web/metrics.ts";
import { ReadCache } from "./web/read-cache.ts";
import { VERSION } from "./version.ts";
import { createFollowerFederation } from "./federation/follows.ts";
import { createMentionResolver } from "./federation/mentions.ts";
import { createQuoteFederation } from "./federation/quotes.ts";
import { createPostFederation, sendProfileUpdate } from "./federation/outbox.ts";
import { runImportWorker } from "./services/import-jobs.ts";
import { linkHealthDeps, runLinkHealthWorker } from "./services/link-health.ts";
import { startHousekeeping } from "./services/housekeeping.ts";

const logger = getLogger(["glose"]);
/** How long stopping waits for the requests under way. */
const CLOSE_GRACE_MS = 5_000;

/** A start-up failure worth one clear line, naming the setting at fault. */
export class StartupError extends Error {
  override name = "StartupError";
}

export interface Glose {
  readonly database: Database;
  /** The listening port, when this process serves the web. */
  readonly port: number | null;
  /** The read cache of the web server, when this process serves the web. */
  readonly readCache: ReadCache | null;
  /** The web app, without the cached answers given before it (`earlyAnswers`). */
  readonly app: Hono<WebEnv> | null;
  readonly earlyAnswers: EarlyAnswers | null;
  stop(): Promise<void>;
}

export async function startGlose(config: Config): Promise<Glose> {
  installOutgoingAgent({ allowPrivateAddress: config.allowPrivateAddress });
  const database = await connect(config);
  const ran = await migrate(database.db);
  if (ran.length > 0) logger.info("Migrated the database: {migrations}", { migrations: ran });
  // Independent, and checking a configured password takes a while on the thread pool.
  await Promise.all([ensureConfiguredAccount(database.db, config), ensureKeyPairs(database.db)]);

  const kv = new GloseKvStore(database.db);
  const queues = createQueues(database, config);
  const queue = queues.inbox;
  const deliveries = new DeliveryCounts();
  const federation = createFederation({ config, kv, queue: queues, deliveries, db: database.db });
  const contextData = { db: database.db, config };

  const workerAbort = new AbortController();
  let worker: Promise<void> | null = null;
  let importWorker: Promise<void> | null = null;
  let linkWorker: Promise<void> | null = null;
  let stopHousekeeping: (() => Promise<void>) | null = null;
  if (config.role !== "web") {
    worker = federation.startQueue(contextData, { signal: workerAbort.signal });
    stopHousekeeping = startHousekeeping(database, kv);
    const imports = { db: database.db, federation: createPostFederation(federation, contextData) };
    const progressDb = database.kind === "postgres" ? database.db : null;
    importWorker = runImportWorker({ publishing: imports, origin: config.origin, progressDb }, database.listen, workerAbort.signal);
    const userAgent = `Glose/${VERSION} (+${config.origin})`;
    const links = linkHealthDeps(database.db, { allowPrivateAddress: config.allowPrivateAddress, userAgent, archiveOnPublish: config.archiveOnPublish });
    linkWorker = runLinkHealthWorker(links, workerAbort.signal);
    logger.info("Queue worker started");
  }

  let server: ServerType | null = null;
  let port: number | null = null;
  let readCache: ReadCache | null = null;
  let app: Hono<WebEnv> | null = null;
  let earlyAnswers: EarlyAnswers | null = null;
  let stopReadCache: (() => Promise<void>) | null = null;
  if (config.role !== "worker") {
    const publishing = {
      db: database.db,
      federation: createPostFederation(federation, contextData),
      origin: config.origin,
      undoWindowMs: config.deleteUndoSeconds * 1000,
      resolveMentions: createMentionResolver(federation, contextData),
      fetchPreview: async (url: string) => {
        const result = await fetchLinkPreview(url, {
          allowPrivateAddress: config.allowPrivateAddress,
          userAgent: `Glose/${VERSION} (+${config.origin})`,
        });
        return result.ok ? result.preview : null;
      },
    };
    const profile = { db: database.db, origin: config.origin, profileChanged: () => sendProfileUpdate(federation, contextData) };
    const moderation = { db: database.db, federation: createFollowerFederation(federation, contextData) };
    const quotes = { db: database.db, federation: createQuoteFederation(federation, contextData) };
    readCache = new ReadCache(config.readCacheBytes);
    stopReadCache = await readCache.listen(database);
    const metrics = new Metrics(deliveries);
    app = createApp({ config, db: database.db, federation, publishing, profile, moderation, quotes, queue, metrics, readCache });
    earlyAnswers = new EarlyAnswers(config.origin, readCache, metrics);
    ({ server, port } = await listen(app.fetch, earlyAnswers, config.port));
    logger.info("Glose is serving {origin} on port {port}", { origin: config.origin, port });
  }

  return {
    database,
    port,
    readCache,
    app,
    earlyAnswers,
    /** Stops each part even if another fails; then throws what failed. */
    async stop() {
      const failures: unknown[] = [];
      const attempt = async (step: () => Promise<void>) => {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      };
      await attempt(() => (server === null ? Promise.resolve() : closeServer(server)));
      await attempt(async () => await stopReadCache?.());
      workerAbort.abort();
      await attempt(async () => {
        await worker;
        await importWorker;
        await linkWorker;
        await stopHousekeeping?.();
      });
      await attempt(() => database.close());
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, "Several parts of Glose failed to stop");
    },
  };
}

/** Stops Glose; resolves to the process's exit code: 1, with the failure logged, if stopping failed. */
export async function stopGlose(glose: Pick<Glose, "stop">): Promise<number> {
  try {
    await glose.stop();
    return 0;
  } catch (error) {
    logger.error("Could not stop cleanly: {error}", { error });
    return 1;
  }
}

/**
 * One queue for each kind of work over the same table, each with its own workers: incoming
 * activities never wait behind deliveries, and deliveries, which mostly wait for other servers,
 * run many at once, but only a few to any one server. Incoming activities mostly wait for the
 * database and for their authors' servers: sixteen at a time keep up with what the inbox accepts.
 */
function createQueues(database: Database, config: Config) {
  return {
    inbox: new GloseMessageQueue(database, { kinds: ["inbox"], concurrency: 16 }),
    fanout: new GloseMessageQueue(database, { kinds: ["fanout"], concurrency: 2 }),
    outbox: new GloseMessageQueue(database, {
      kinds: ["outbox"],
      concurrency: config.deliveryConcurrency,
      hostConcurrency: config.deliveriesPerServer,
    }),
  };
}

/** Opens the configured database, or fails with a StartupError naming the setting at fault. */
export async function connect(config: Config): Promise<Database> {
  let database: Database;
  try {
    database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, embeddedBuffersMb: config.pgliteBuffersMb });
    await sql`select 1`.execute(database.db);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (config.databaseUrl !== null) {
      throw new StartupError(`DATABASE_URL: cannot connect to ${redact(config.databaseUrl)}: ${reason}`);
    }
    throw new StartupError(`DATA_DIR: cannot open the embedded database in ${config.dataDir}: ${reason}`);
  }
  return database;
}

/** Serves `fetch`, after the cached answers `early` gives straight from Node's request. */
function listen(fetch: (request: Request) => Response | Promise<Response>, early: EarlyAnswers, port: number): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const createEarlyServer = ((options: object, listener: (request: IncomingMessage, response: ServerResponse) => void) =>
      createServer(options, (request, response) => {
        let answered = false;
        try {
          answered = early.answer(request, response);
        } catch (error) {
          // Hono's path answers (or reports) what the early one could not.
          logger.warn("Early answer failed: {error}", { error });
        }
        if (answered) return;
        if (response.headersSent) response.destroy();
        else listener(request, response);
      })) as typeof createServer;
    const server = serve({ fetch, port, createServer: createEarlyServer }, (info) => resolve({ server, port: info.port }));
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new StartupError(`PORT: cannot listen on port ${port}: ${error.code ?? error.message}`)),
    );
  });
}

/**
 * Stops accepting connections and waits for the requests under way, at most CLOSE_GRACE_MS: a
 * connection still open then (a request whose body never comes, a browser holding a socket it
 * has sent nothing on) is cut, so that stopping never waits on a client.
 */
function closeServer(server: ServerType): Promise<void> {
  const http = server as Server;
  return new Promise((resolve, reject) => {
    const cut = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
    http.close((error) => {
      clearTimeout(cut);
      if (error) reject(error);
      else resolve();
    });
  });
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.href;
}
