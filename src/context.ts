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
}

/**
 * Runs `work` in one database transaction and resolves to its result: committed when `work` resolves, rolled
 * back (and the error rethrown) when it throws. `work` gets `ctx` bound to the transaction; name its parameter
 * `ctx` so the outer context (and its `db`, outside the transaction) is out of reach inside.
 * @NOTE transactions do not nest: called with a context already in a transaction, Kysely throws. Code that must
 * run inside a caller's transaction takes a `TxCtx` instead of opening one.
 */
export function withTransaction<C extends Ctx, T>(ctx: C, work: (ctx: C & TxCtx) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}
