// The rows of a small query (a transaction's payment attempts, read with every transaction), kept on SQLite while
// the database's change token is unchanged, as get-by-id keeps rows (db/find-by-id.ts) and lists keep pages
// (db/pagination.ts): by a key naming the query, frozen, dropped by any write of any process.
import { changeToken } from './change-token.js';
import type { Executor } from './database.js';
import { ReadCache } from './read-cache.js';

const keptRows = new ReadCache<readonly object[]>(10_000);

/**
 * The rows of the query `build` makes (frozen, with the array: they may be shared), kept by `key`: rows kept are
 * answered before any query is built (building and compiling one with Kysely costs more than a kept read, #13).
 * `key` must name everything `build` reads (the table, the tenant, the parameters): equal keys must build equal
 * queries. On PostgreSQL, or inside a transaction (no token), read every time.
 */
export async function readKeptRows<T extends object>(
  db: Executor,
  key: string,
  build: () => { execute(): Promise<T[]> },
): Promise<readonly T[]> {
  const token = changeToken(db);
  if (token === undefined) return build().execute();
  const kept = keptRows.get(db, key, token);
  if (kept) return kept as readonly T[];
  const rows = Object.freeze((await build().execute()).map((row) => Object.freeze(row)));
  keptRows.set(db, key, token, rows);
  return rows;
}
