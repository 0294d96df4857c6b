// One-row reads answered at once on the embedded SQLite connection. better-sqlite3 runs a statement
// synchronously in a few microseconds; going through Kysely's driver (a connection mutex, promises) costs about
// as much again, and get-by-id is the hottest path there is. PostgreSQL has no such reader (its hot reads are
// prepared statements instead, db/prepared-read.ts).
import type { Executor } from './database.js';

/**
 * Runs `sql` and returns its first row (undefined for no row) and whether it may be kept under the change token;
 * `busy` when it must not run now.
 */
export type ReadNow = (sql: string, parameters: readonly unknown[]) => { row: unknown; keep: boolean } | typeof busy;

export const busy: unique symbol = Symbol('busy');

const readers = new WeakMap<object, ReadNow>();

export function registerReadNow(db: object, reader: ReadNow): void {
  readers.set(db, reader);
}

/**
 * `{ row, keep }` when the database could answer at once, otherwise undefined (PostgreSQL, a transaction's
 * executor, or an in-memory SQLite connection inside another request's open transaction — @NOTE reading there
 * would see that transaction's uncommitted writes, so then the caller queues behind it through Kysely). A SQLite
 * file answers from its read-only second connection meanwhile: the last commit, as PostgreSQL would answer, but
 * `keep` is false then (the change token cannot tell that commit from the one under way).
 */
export function readFirstNow<T>(
  db: Executor,
  sql: string,
  parameters: readonly unknown[],
): { row: T | undefined; keep: boolean } | undefined {
  const reader = readers.get(db);
  if (!reader) return undefined;
  const answer = reader(sql, parameters);
  if (answer === busy) return undefined;
  return { row: answer.row as T | undefined, keep: answer.keep };
}
