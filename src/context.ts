// What a use case needs to run: the database, the tenant's clock, the tenant, and the configuration.
// Built per request by http/ (or per job by jobs/); services never reach for globals.
import type { Config } from './config.js';
import type { Db, Dialect } from './db/database.js';
import type { Tenant } from './db/tables.js';
import type { Clock } from './kernel/clock.js';
import type { Wiring } from './modules/module.js';

export interface Ctx {
  db: Db;
  /** Which engine `db` is: row locks (`FOR UPDATE`) are taken on PostgreSQL only; SQLite serialises writers. */
  dialect: Dialect;
  clock: Clock;
  tenant: Tenant;
  config: Config;
  /** Every module's reactions and due work (modules/module.ts): how one module's change reaches another's. */
  wiring: Wiring;
}
