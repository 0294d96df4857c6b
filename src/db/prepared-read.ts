// The hottest reads on PostgreSQL (the key lookup, get-by-id) as named prepared statements: PostgreSQL then parses
// and plans each once per connection instead of on every request, which halves its CPU per query (measured:
// 48 → 20 µs). Kysely sends every query unnamed, so these few go to the pool directly. SQLite needs none of this
// (its statements are prepared once in db/database.ts).
import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';

export type PreparedRead = (name: string, sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;

const readers = new WeakMap<object, PreparedRead>();

export function registerPreparedRead(db: object, reader: PreparedRead): void {
  readers.set(db, reader);
}

const names = new Map<string, string>();

/** One name per statement text, so a connection never sees one name with two texts. */
export function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `paddock_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/** PostgreSQL's "cached plan must not change result type": a migration changed a table after it was prepared. */
const FEATURE_NOT_SUPPORTED = '0A000';

/**
 * The rows of `sql`, run as a named prepared statement where `db` has such a reader, otherwise (SQLite, or a
 * transaction's executor, whose queries must stay on the transaction's connection) through Kysely.
 */
export async function readPrepared<T>(db: Executor, sql: string, parameters: readonly unknown[]): Promise<T[]> {
  const reader = readers.get(db);
  if (reader) {
    try {
      return (await reader(statementName(sql), sql, parameters)) as T[];
    } catch (error) {
      // @NOTE another process migrated the schema under this one's prepared statements: read unnamed instead.
      if ((error as { code?: string }).code !== FEATURE_NOT_SUPPORTED) throw error;
    }
  }
  return (await db.executeQuery<T>(CompiledQuery.raw(sql, [...parameters]))).rows;
}

/**
 * Statement texts of the hot writes (a renewal's inserts and whole-row updates, built once per shape by
 * db/insert-rows.ts and db/find-by-id.ts): on PostgreSQL the pool's clients run them as named prepared statements,
 * in whatever transaction they belong to, so PostgreSQL parses and plans each once per connection (#10: about
 * half of PostgreSQL's CPU per renewal went to parsing and planning). Bounded by the shapes those builders keep.
 */
const preparedWrites = new Set<string>();

/** Marks `sql` (a write with no result rows, whose text never varies for one shape) to run prepared. */
export function prepareWrite(sql: string): void {
  if (preparedWrites.size >= 2048) preparedWrites.clear();
  preparedWrites.add(sql);
}

/** Whether `sql` runs as a named prepared statement (`prepareWrite`). */
export function runsPrepared(sql: string): boolean {
  return preparedWrites.has(sql);
}
