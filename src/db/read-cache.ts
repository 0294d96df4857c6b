// Values read from the database, kept with the change token (db/change-token.ts) they were read under and given
// out only while the database still shows that token: any write by any connection — this process, the CLI,
// another server on the same file — changes the token, and everything read before it is dropped at the next use.
// This is the rule SQLite applies to its own page cache in WAL mode; it saves the statement, not freshness.
import type { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';

/** What was read under one token; a new token starts a new generation, so stale values are never held. */
interface Generation<V> {
  token: string;
  values: Map<string, V>;
}

export class ReadCache<V> {
  private readonly byDb = new WeakMap<Executor, Generation<V>>();

  /** @param limit values kept per database and token before the cache starts over (a bound on memory). */
  constructor(private readonly limit: number) {}

  /** The value kept for `key` if it was read under `token`. */
  get(db: Executor, key: string, token: string): V | undefined {
    const generation = this.byDb.get(db);
    return generation?.token === token ? generation.values.get(key) : undefined;
  }

  /**
   * Keeps `value`, read under `token`. @NOTE take the token before reading: a write between the two then makes
   * the value look older than it is (dropped at the next use), never newer.
   */
  set(db: Executor, key: string, token: string, value: V): void {
    let generation = this.byDb.get(db);
    if (generation?.token !== token) {
      generation = { token, values: new Map() };
      this.byDb.set(db, generation);
    }
    if (generation.values.size >= this.limit) generation.values.clear();
    generation.values.set(key, value);
  }
}

/** A query parameter as text: bigints and strings must not collide (`1n` vs `"1"`). */
function parameterText(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? 'undefined');
}

/** A compiled query as a cache key: its SQL and every parameter. */
export function queryKey(compiled: CompiledQuery): string {
  return `${compiled.sql}\u0000${compiled.parameters.map(parameterText).join('\u0000')}`;
}
