// What a use case needs to run: the database, the tenant's clock, the tenant, and the configuration.
// Built per request by http/ (or per job by jobs/); services never reach for globals.
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { Tenant } from './db/tables.js';
import type { Clock } from './kernel/clock.js';

export interface Ctx {
  db: Db;
  clock: Clock;
  tenant: Tenant;
  config: Config;
}
