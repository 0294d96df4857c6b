// One-row reads answered at once on the embedded SQLite connection. better-sqlite3 runs a statement
// synchronously in a few microseconds; going through Kysely's driver (a connection mutex, promises) costs about
// as much again, and get-by-id is the hottest path there is. PostgreSQL has no such reader (its hot reads are
// prepared statements instead, db/prepared-read.ts).
import type { Executor } from './database.js';

/** Runs `sql` and returns its first row, or undefined for no row; `busy` when it must not run now. */
export type ReadNow = (sql: string, parameters: readonly unknown[]) => unknown;

export const busy: unique symbol = Symbol('busy');

const readers = new WeakMap<object, ReadNow>();

export function registerReadNow(db: object, reader: ReadNow): void {
  readers.set(db, reader);
}

/**
 * `{ row }` when the database could answer at once, otherwise undefined (PostgreSQL, a transaction's executor,
 * or the SQLite connection inside another request's open transaction — @NOTE reading there would see that
 * transaction's uncommitted writes, so then the caller queues behind it through Kysely).
 */
export function readFirstNow<T>(
  db: Executor,
  sql: string,
  parameters: readonly unknown[],
): { row: T | undefined } | undefined {
  const reader = readers.get(db);
  if (!reader) return undefined;
  const row = reader(sql, parameters);
  if (row === busy) return undefined;
  return { row: row as T | undefined };
}
