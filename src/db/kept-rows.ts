// The rows of a small query (a transaction's payment attempts, read with every transaction), kept on SQLite while
// the database's change token is unchanged, as get-by-id keeps rows (db/find-by-id.ts) and lists keep pages
// (db/pagination.ts): by the query's SQL and parameters, frozen, dropped by any write of any process.
import type { Compilable, CompiledQuery } from 'kysely';
import { changeToken } from './change-token.js';
import type { Executor } from './database.js';
import { ReadCache, queryKey } from './read-cache.js';

const keptRows = new ReadCache<readonly object[]>(10_000);

/**
 * The rows of `query` (frozen, with the array: they may be shared). On PostgreSQL, or inside a transaction (no
 * token), read every time.
 */
export async function readKeptRows<T extends object>(
  db: Executor,
  query: Compilable<T> & { execute(): Promise<T[]> },
): Promise<readonly T[]> {
  const token = changeToken(db);
  if (token === undefined) return query.execute();
  const key = queryKey(query.compile() as CompiledQuery);
  const kept = keptRows.get(db, key, token);
  if (kept) return kept as readonly T[];
  const rows = Object.freeze((await query.execute()).map((row) => Object.freeze(row)));
  keptRows.set(db, key, token, rows);
  return rows;
}
