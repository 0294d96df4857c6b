// Values read from the database, each kept with the change token (db/change-token.ts) it was read under and
// given out only while the database still shows that token: any write by any connection — this process, the
// CLI, another server on the same file — changes the token, and every entry read before it is then ignored.
// This is the rule SQLite applies to its own page cache in WAL mode; it saves the statement, not freshness.
import type { Executor } from './database.js';

interface Entry<V> {
  token: string;
  value: V;
}

export class ReadCache<V> {
  private readonly byDb = new WeakMap<Executor, Map<string, Entry<V>>>();

  /** @param limit entries kept per database before the cache starts over (a bound, not a policy). */
  constructor(private readonly limit: number) {}

  /** The value kept for `key` if it was read under `token`. */
  get(db: Executor, key: string, token: string): V | undefined {
    const entry = this.byDb.get(db)?.get(key);
    return entry && entry.token === token ? entry.value : undefined;
  }

  /**
   * Keeps `value`, read under `token`. @NOTE take the token before reading: a write between the two then makes
   * the entry look older than it is (ignored at the next use), never newer.
   */
  set(db: Executor, key: string, token: string, value: V): void {
    let entries = this.byDb.get(db);
    if (!entries) {
      entries = new Map();
      this.byDb.set(db, entries);
    }
    if (entries.size >= this.limit) entries.clear();
    entries.set(key, { token, value });
  }
}
