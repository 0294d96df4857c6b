// A cheap answer to "has anything been written since?", for caches that must never serve stale data.
// SQLite: `PRAGMA data_version` changes when another connection (another process, the CLI) commits, and a local
// counter changes whenever this process's own connection prepares anything but a read. PostgreSQL offers no
// equally cheap signal, so it has no token and nothing is cached there.
//
// @NOTE the pragma opens a read transaction on the WAL (~5 µs, as much as the rest of a kept read), and a request
// asked for it once per kept read (the key, the row, each include). It is read once per request instead: a value
// read after a request arrived has seen every commit made before the request was sent, which is all the request
// may be promised. So the value read is kept until the next request arrives (`readsFromNow`, called by the app on
// every request) and at most until the event loop's next turn (for work that is not a request: the scheduler).
import type { Executor } from './database.js';
import type { TenantTable } from './tables.js';

interface TokenSource {
  /** The current token; with `tables`, one that only this connection's writes to those tables change. */
  read(tables?: readonly string[]): string;
  /** Drops what `read` keeps, so the next token reads the database again. */
  forget(): void;
}

const sources = new WeakMap<object, TokenSource>();

export function registerChangeToken(db: object, source: TokenSource): void {
  sources.set(db, source);
}

/**
 * The database's current change token, or undefined when it has none (then do not cache). With `tables`, a token
 * for what is read from those tables alone: this connection's writes change it only when they name one of them
 * (any commit by another connection still changes it), so values kept under it outlive this process's writes
 * elsewhere (an API key across customer creates).
 */
export function changeToken(db: Executor, tables?: readonly TenantTable[]): string | undefined {
  return sources.get(db)?.read(tables);
}

/**
 * A request has arrived: tokens from now on must show every write committed before it, by any process. The app
 * calls it first thing for every request (app.ts).
 */
export function readsFromNow(db: Executor): void {
  sources.get(db)?.forget();
}
