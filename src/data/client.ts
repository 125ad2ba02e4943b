// Opens Glose's database: PostgreSQL through node-postgres when a URL is given, PGlite otherwise.
// Both speak the same SQL, so the rest of the code never asks which one it has. A PostgreSQL
// server that goes away and comes back costs the queries made meanwhile, never the process: broken
// connections leave the pool, new ones are opened on demand, and LISTEN is taken up again.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { getLogger } from "@logtape/logtape";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Schema } from "../../db/schema.ts";
import { DEFAULT_PGLITE_BUFFERS_MB } from "../config.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import { ambientTransactions } from "./transaction.ts";

export type Db = Kysely<Schema>;

const logger = getLogger(["glose", "database"]);

export interface Database {
  readonly db: Db;
  readonly kind: "postgres" | "pglite";
  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel`, and with null each time
   * listening is taken up again after a lost connection (notifications may have been missed
   * meanwhile); `onLost`, when the connection is lost. Resolves, once listening, to a function
   * that stops listening.
   */
  listen(channel: string, onNotify: (payload: string | null) => void, onLost?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`, or null for the embedded database. */
  readonly url: string | null;
  /** Where the embedded database keeps its files; null keeps it in memory. */
  readonly dataDir: string | null;
  /** Connections in the pool (PostgreSQL only). */
  readonly poolSize?: number;
  /** The embedded database's page cache (`shared_buffers`), in megabytes. */
  readonly embeddedBuffersMb?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url === null
    ? openPGlite(options.dataDir, options.embeddedBuffersMb ?? DEFAULT_PGLITE_BUFFERS_MB)
    : openPostgres(options.url, options.poolSize ?? 10);
}

const INT8_OID = 20;

// int8 (counts, serial ids) as numbers, as PGlite returns them.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const settings = { connectionString: url, connectionTimeoutMillis: 10_000, keepAlive: true, types };
  const pool = new pg.Pool({ ...settings, max: poolSize });
  // A connection that breaks while idle, or between two queries of its user, reports here; the
  // pool drops it, and its user's next query fails with a catchable error.
  pool.on("error", (error) => logger.warn("A database connection failed: {error}", { error }));
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Schema>({ dialect: ambientTransactions(new PostgresDialect({ pool })) });
  const listeners = new Set<Listener>();
  return {
    db,
    kind: "postgres",
    async listen(channel, onNotify, onLost) {
      const listener = new Listener(settings, channel, onNotify, onLost ?? (() => {}));
      listeners.add(listener);
      await listener.started;
      return async () => {
        listeners.delete(listener);
        await listener.close();
      };
    },
    async close() {
      await Promise.all([...listeners].map((listener) => listener.close()));
      await db.destroy();
    },
  };
}

const RELISTEN_MIN_MS = 250;
const RELISTEN_MAX_MS = 10_000;

/** A connection of its own that LISTENs on one channel, reconnecting after any failure. */
class Listener {
  readonly started: Promise<void>;
  readonly #settings: pg.ClientConfig;
  readonly #channel: string;
  readonly #onNotify: (payload: string | null) => void;
  readonly #onLost: () => void;
  #client: pg.Client | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #retryMs = RELISTEN_MIN_MS;
  #closed = false;

  constructor(settings: pg.ClientConfig, channel: string, onNotify: (payload: string | null) => void, onLost: () => void) {
    this.#settings = settings;
    this.#channel = channel;
    this.#onNotify = onNotify;
    this.#onLost = onLost;
    // The first attempt's failure is the caller's to see; later ones are retried here.
    this.started = this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client(this.#settings);
    this.#client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      client.removeAllListeners("notification");
      void client.end().catch(() => {});
      if (this.#closed || this.#client !== client) return;
      this.#client = null;
      this.#onLost();
      logger.warn("Lost the connection listening on {channel}; reconnecting: {error}", { channel: this.#channel, error });
      this.#scheduleRetry();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (message) => {
      if (message.channel === this.#channel) this.#onNotify(message.payload ?? "");
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(this.#channel)}`);
    } catch (error) {
      lost = true;
      void client.end().catch(() => {});
      if (this.#client === client) this.#client = null;
      throw error;
    }
    this.#retryMs = RELISTEN_MIN_MS;
  }

  #scheduleRetry(): void {
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#closed) return;
      this.#connect().then(
        () => {
          logger.info("Listening on {channel} again", { channel: this.#channel });
          this.#onNotify(null);
        },
        (error: unknown) => {
          logger.debug("Could not listen on {channel} yet: {error}", { channel: this.#channel, error });
          this.#retryMs = Math.min(this.#retryMs * 2, RELISTEN_MAX_MS);
          this.#scheduleRetry();
        },
      );
    }, this.#retryMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}

async function openPGlite(dataDir: string | null, buffersMb: number): Promise<Database> {
  const options = {
    extensions: { unaccent },
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${buffersMb}MB`],
  };
  let pglite: PGlite;
  if (dataDir === null) {
    pglite = await PGlite.create(options);
  } else {
    const dir = join(dataDir, "pglite");
    await mkdir(dir, { recursive: true });
    pglite = await PGlite.create(dir, options);
  }
  const db = new Kysely<Schema>({ dialect: ambientTransactions(new PGliteDialect(pglite)) });
  return {
    db,
    kind: "pglite",
    // One process, one connection: listening is never lost.
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, (payload) => onNotify(payload));
      // Once the database is closed there is nothing left to stop listening to.
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    async close() {
      if (pglite.closed) return;
      await db.destroy();
      await pglite.close();
    },
  };
}
