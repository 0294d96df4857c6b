// Several writes committed at once on the embedded SQLite connection, as one synchronous transaction. Each
// statement through Kysely's driver costs a dozen microseconds of promises and query handling, ten times what
// better-sqlite3 takes to run a small delete; a sandbox reset is sixteen of them (issue #15). PostgreSQL has no
// such writer (there the reset is one statement, modules/sellers/repository.ts).
import type { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';
import { busy } from './read-now.js';

/** Runs the statements in one immediate transaction and answers the rows each changed; `busy` when it must not. */
export type WriteNow = (statements: readonly CompiledQuery[]) => number[] | typeof busy;

const writers = new WeakMap<object, WriteNow>();

export function registerWriteNow(db: object, writer: WriteNow): void {
  writers.set(db, writer);
}

/**
 * The rows each statement changed, all committed together, when the database could write at once; otherwise
 * undefined (PostgreSQL, a transaction's executor, or the SQLite connection inside another request's open
 * transaction — @NOTE writing there would join that transaction), and the caller runs them through Kysely. A
 * statement that fails rolls the others back and throws.
 */
export function writeAllNow(db: Executor, statements: readonly CompiledQuery[]): number[] | undefined {
  const writer = writers.get(db);
  if (!writer) return undefined;
  const changed = writer(statements);
  return changed === busy ? undefined : changed;
}
