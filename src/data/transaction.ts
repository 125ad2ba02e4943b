// Ambient transactions: inside inTransaction(db, work), every query made through `db`, by the
// caller or by anything it calls (Fedify's dispatchers, the queue's enqueue), runs on the
// transaction's connection and commits or rolls back with it. With PGlite, which has one
// connection, a query through `db` inside a transaction would otherwise wait for the transaction
// to end, and the transaction for the query: a deadlock.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type TransactionSettings,
} from "kysely";

interface Slot {
  /** Null once the transaction has ended. */
  connection: DatabaseConnection | null;
  /** Transactions begun inside the ambient one; each is a savepoint. */
  depth: number;
}

/** The ambient transaction of each database (driver) in this async context. */
const storage = new AsyncLocalStorage<Map<AmbientDriver, Slot>>();

/**
 * Per database, the chain of inTransaction calls (outermost first) that this async context runs
 * in, and the turn that the nested ones of the outermost transaction take on its connection.
 */
const frames = new AsyncLocalStorage<ReadonlyMap<Kysely<any>, Frame>>();

interface Frame {
  readonly chain: readonly symbol[];
  readonly turn: Turn;
}

interface Turn {
  holder: symbol | null;
  /** Resolves when the holder changes. */
  changed: Promise<void>;
  notify: () => void;
}

/**
 * Runs `work` in a transaction that every query through `db` joins while it runs. Commits when
 * `work` resolves, rolls back when it throws. Nested calls become savepoints; nested calls made
 * side by side (Fedify enqueues several deliveries at once) take turns, since savepoints taken
 * together on one connection would release and roll back each other's.
 */
export async function inTransaction<T>(db: Kysely<any>, work: () => Promise<T>): Promise<T> {
  const enclosing = frames.getStore()?.get(db);
  const token = Symbol("transaction");
  const turn = enclosing?.turn ?? newTurn();
  const chain = enclosing?.chain ?? [];
  // A sibling's savepoint is open: wait until it is done. An ancestor's: go on inside it.
  while (turn.holder !== null && !chain.includes(turn.holder)) await turn.changed;
  const previous = turn.holder;
  pass(turn, token);
  try {
    const inner = new Map(frames.getStore());
    inner.set(db, { chain: [...chain, token], turn });
    // A frame of its own, where beginTransaction records the transaction; the enclosing ones stay.
    return await frames.run(inner, () => storage.run(new Map(storage.getStore()), () => db.transaction().execute(() => work())));
  } finally {
    pass(turn, previous);
  }
}

function newTurn(): Turn {
  const turn: Turn = { holder: null, changed: Promise.resolve(), notify: () => {} };
  pass(turn, null);
  return turn;
}

function pass(turn: Turn, holder: symbol | null): void {
  turn.holder = holder;
  const notify = turn.notify;
  turn.changed = new Promise((resolve) => (turn.notify = resolve));
  notify();
}

/** Whether this async context runs in an ambient transaction, of any database. */
export function inAmbientTransaction(): boolean {
  for (const slot of storage.getStore()?.values() ?? []) if (slot.connection !== null) return true;
  return false;
}

/** Wraps a dialect so that its connections can be shared by an ambient transaction. */
export function ambientTransactions(dialect: Dialect): Dialect {
  return {
    createDriver: () => new AmbientDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

class AmbientDriver implements Driver {
  readonly #inner: Driver;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  /** The ambient transaction's connection, when one of this driver's runs here. */
  #ambient(): Slot | undefined {
    const slot = storage.getStore()?.get(this);
    return slot?.connection != null ? slot : undefined;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#ambient()?.connection ?? (await this.#inner.acquireConnection());
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // The ambient transaction's connection is released when that transaction ends.
    if (this.#ambient()?.connection === connection) return;
    await this.#inner.releaseConnection(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const ambient = this.#ambient();
    if (ambient?.connection === connection) {
      ambient.depth++;
      await connection.executeQuery(CompiledQuery.raw(`savepoint ambient_${ambient.depth}`));
      return;
    }
    await this.#inner.beginTransaction(connection, settings);
    storage.getStore()?.set(this, { connection, depth: 0 });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection, "release savepoint", () => this.#inner.commitTransaction(connection));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection, "rollback to savepoint", () => this.#inner.rollbackTransaction(connection));
  }

  async #end(connection: DatabaseConnection, savepointCommand: string, endOuter: () => Promise<void>): Promise<void> {
    const ambient = this.#ambient();
    if (ambient?.connection === connection && ambient.depth > 0) {
      await connection.executeQuery(CompiledQuery.raw(`${savepointCommand} ambient_${ambient.depth}`));
      ambient.depth--;
      return;
    }
    // Work left running after the transaction (a background task it started) gets connections of
    // its own from here on.
    if (ambient?.connection === connection) ambient.connection = null;
    await endOuter();
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
