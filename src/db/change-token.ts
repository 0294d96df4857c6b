// A cheap answer to "has anything been written since?", for caches that must never serve stale data.
// SQLite: `PRAGMA data_version` changes when another connection (another process, the CLI) commits, and a local
// counter changes whenever this process's own connection prepares anything but a read. PostgreSQL offers no
// equally cheap signal, so it has no token and nothing is cached there.
import type { Executor } from './database.js';

const tokens = new WeakMap<object, () => string>();

export function registerChangeToken(db: object, token: () => string): void {
  tokens.set(db, token);
}

/** The database's current change token, or undefined when it has none (then do not cache). */
export function changeToken(db: Executor): string | undefined {
  return tokens.get(db)?.();
}
