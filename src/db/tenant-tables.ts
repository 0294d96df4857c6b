// Every tenant table, once, with what its rows are: how deleting a seller and resetting a sandbox find every row
// a tenant owns. `satisfies Record<TenantTable, …>` makes a table added to tables.ts without a line here a compile
// error, and src/db/tenant-tables.test.ts fails when the migrated schema has a table with seller_id not listed.
import type { TenantTable } from './tables.js';

/**
 * - `identity`: what makes the tenant and survives a reset of its sandbox (the environment with its portal id,
 *   signing secret and clock; its API keys);
 * - `data`: everything the tenant's requests and due work made (entities, events, notifications, emails), emptied
 *   by a reset.
 */
export type TenantTableRole = 'identity' | 'data';

export const TENANT_TABLES = {
  seller_environments: 'identity',
  api_keys: 'identity',
  products: 'data',
  prices: 'data',
  customers: 'data',
  addresses: 'data',
  businesses: 'data',
  events: 'data',
  transactions: 'data',
  payment_attempts: 'data',
  payment_methods: 'data',
  credit_balances: 'data',
  subscriptions: 'data',
  emails: 'data',
  discounts: 'data',
  discount_groups: 'data',
  notification_settings: 'data',
  notifications: 'data',
  notification_logs: 'data',
  adjustments: 'data',
  portal_sessions: 'data',
  portal_sign_ins: 'data',
  rate_limit_hits: 'data',
} as const satisfies Record<TenantTable, TenantTableRole>;

/** The tenant tables with the given role, in the order above. */
export function tenantTablesOf(role: TenantTableRole): TenantTable[] {
  return (Object.keys(TENANT_TABLES) as TenantTable[]).filter((table) => TENANT_TABLES[table] === role);
}
