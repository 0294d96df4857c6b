// What a use case needs to run: the database, the tenant's clock, the tenant, and the configuration.
// Built per request by http/ (or per job by jobs/); services never reach for globals.
import type { Config } from './config.js';
import type { Db, Dialect, Trx } from './db/database.js';
import type { Tenant } from './db/tables.js';
import type { Clock } from './kernel/clock.js';
import type { Wiring } from './modules/module.js';

export interface Ctx {
  /** The database, or (in a `TxCtx`) the open transaction. */
  db: Db;
  /** Which engine `db` is: row locks (`FOR UPDATE`) are taken on PostgreSQL only; SQLite serialises writers. */
  dialect: Dialect;
  clock: Clock;
  tenant: Tenant;
  config: Config;
  /** Every module's reactions and due work (modules/module.ts): how one module's change reaches another's. */
  wiring: Wiring;
}

/**
 * A context bound to an open database transaction: its `db` IS the transaction, so everything done with it (reads
 * included) is inside the transaction. Helpers that lock rows or write several rows that must commit together
 * take this type; a plain `Ctx` is refused by the compiler.
 */
export interface TxCtx extends Ctx {
  db: Trx;
  /** Set inside `withBatchTransaction`: what the units of one batch share (reads taken once, deferred writes). */
  scope?: TxScope;
}

/**
 * Work a batch transaction's units write once for the whole batch (events in one multi-row insert, the invoice
 * counter in one update): each unit appends to it, a unit rolled back to its savepoint is rewound out of it, and
 * `flush` writes what is left just before the commit.
 */
export interface Deferred<M> {
  /** Where the deferred work stands now (taken before each unit). */
  mark(): M;
  /** Forgets what was added since `mark` (the unit that added it was rolled back). */
  rewind(mark: M): void;
  /** Writes it, in the batch's transaction, before the commit. */
  flush(db: Trx): Promise<void>;
  /** When it is flushed among the batch's deferred work: ascending, 1 when absent (invoice numbers, 0, go before the events that show them). */
  readonly order?: number;
}

/** What the units of one batch transaction share: see `TxCtx.scope`. */
export interface TxScope {
  /**
   * The value `load` answers, loaded once per batch under `key`: only for what no unit of the batch changes (the
   * tenant's portal, the seller's fee model, the webhook destinations), since a unit's rollback does not undo it.
   */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Keeps `value` under `key` for later `once` calls: rows read for many units in one query (the same rule). */
  remember(key: string, value: unknown): void;
  /** The batch's deferred work under `key`, made by `make` on first use. */
  deferred<D extends Deferred<unknown>>(key: string, make: () => D): D;
}

/** `load()` once per batch transaction when `ctx` is in one (see `TxScope.once`), otherwise every time. */
export function oncePerBatch<T>(ctx: Ctx, key: string, load: () => Promise<T>): Promise<T> {
  const scope = (ctx as Partial<TxCtx>).scope;
  return scope ? scope.once(key, load) : load();
}

/**
 * Runs `work` in one database transaction and resolves to its result: committed when `work` resolves, rolled
 * back (and the error rethrown) when it throws. `work` gets `ctx` bound to the transaction; name its parameter
 * `ctx` so the outer context (and its `db`, outside the transaction) is out of reach inside.
 * @NOTE transactions do not nest: called with a context already in a transaction (a `TxCtx` passed as a `Ctx`),
 * `work` joins that transaction and commits or rolls back with it. That is how several use cases run as one (the
 * seed helper makes a whole catalog, or nothing); code that must run inside a caller's transaction still takes a
 * `TxCtx`, so the compiler says so.
 */
export function withTransaction<C extends Ctx, T>(ctx: C, work: (ctx: C & TxCtx) => Promise<T>): Promise<T> {
  if (inTransaction(ctx)) return work(ctx);
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}

function inTransaction<C extends Ctx>(ctx: C): ctx is C & TxCtx {
  return ctx.db.isTransaction;
}

/** The units of a batch transaction (`withBatchTransaction`): each runs in a savepoint of its own. */
export interface Batch<C extends Ctx> {
  /**
   * Runs `work` as one all-or-nothing unit inside the batch's transaction: when it throws, what it wrote is rolled
   * back to the savepoint taken before it (and the error rethrown); the units before and after it are kept.
   */
  unit<T>(work: (ctx: C & TxCtx) => Promise<T>): Promise<T>;
}

/**
 * Runs many independent units of work in ONE database transaction, each unit in its own savepoint (issue #10: a
 * renewal per transaction spent most of its time beginning and committing; on PostgreSQL every commit waits for
 * the WAL flush). Commits when `work` resolves; rolls everything back when it throws. Keep batches short: on
 * SQLite the transaction holds the one connection, and other requests queue behind it until it commits.
 */
export async function withBatchTransaction<C extends Ctx, T>(
  ctx: C,
  work: (batch: Batch<C>) => Promise<T>,
): Promise<T> {
  const trx = await ctx.db.startTransaction().execute();
  const loaded = new Map<string, Promise<unknown>>();
  const deferred = new Map<string, Deferred<unknown>>();
  // The marks to rewind to when the unit in progress fails (deferred work first used in it rewinds to empty).
  let marks: Map<Deferred<unknown>, unknown> | undefined;
  const scope: TxScope = {
    once<V>(key: string, load: () => Promise<V>) {
      let value = loaded.get(key) as Promise<V> | undefined;
      if (!value) {
        value = load();
        loaded.set(key, value);
        value.catch(() => loaded.delete(key));
      }
      return value;
    },
    remember(key: string, value: unknown) {
      loaded.set(key, Promise.resolve(value));
    },
    deferred<D extends Deferred<unknown>>(key: string, make: () => D) {
      let found = deferred.get(key) as D | undefined;
      if (!found) {
        found = make();
        deferred.set(key, found);
        marks?.set(found, found.mark());
      }
      return found;
    },
  };
  let units = 0;
  const batch: Batch<C> = {
    async unit(unitWork) {
      const name = `unit_${units++}`;
      const saved = await trx.savepoint(name).execute();
      marks = new Map([...deferred.values()].map((item) => [item, item.mark()]));
      const unitMarks = marks;
      try {
        const result = await unitWork({ ...ctx, db: saved, scope });
        await saved.releaseSavepoint(name).execute();
        return result;
      } catch (error) {
        for (const [item, mark] of unitMarks) item.rewind(mark);
        await saved.rollbackToSavepoint(name).execute();
        await saved.releaseSavepoint(name).execute();
        throw error;
      } finally {
        marks = undefined;
      }
    },
  };
  try {
    const result = await work(batch);
    const inOrder = [...deferred.values()].sort((a, b) => (a.order ?? 1) - (b.order ?? 1));
    for (const item of inOrder) await item.flush(trx);
    await trx.commit().execute();
    return result;
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
}
