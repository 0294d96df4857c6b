import type { Executor, Trx } from '../../db/database.js';
import { findById, lockById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { SubscriptionRow, Tenant } from '../../db/tables.js';
import { insertRows, upsertRows } from '../../db/insert-rows.js';
import { tenantQueryWith, tenantRows } from '../../db/tenant-rows.js';

export interface SubscriptionFilters {
  id?: string[];
  customer_id?: string[];
  address_id?: string[];
  price_id?: string[];
  status?: string[];
  collection_mode?: string;
  scheduled_change_action?: string[];
}

export async function findSubscription(db: Executor, tenant: Tenant, id: string): Promise<SubscriptionRow | undefined> {
  return findById<SubscriptionRow>(db, 'subscriptions', tenant, id);
}

export async function lockSubscription(
  db: Trx,
  tenant: Tenant,
  id: string,
  dialect: 'sqlite' | 'postgres',
): Promise<SubscriptionRow | undefined> {
  return lockById<SubscriptionRow>(db, 'subscriptions', tenant, id, dialect);
}

/**
 * Claims subscriptions for due work in one query: the rows of `ids` no other process holds, locked for this
 * transaction (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite serialises writers, so the rows are simply read).
 */
export async function claimSubscriptions(
  db: Trx,
  tenant: Tenant,
  ids: readonly string[],
  dialect: 'sqlite' | 'postgres',
): Promise<SubscriptionRow[]> {
  if (ids.length === 0) return [];
  const query = tenantRows(db, 'subscriptions', tenant).where('subscriptions.id', 'in', [...ids]);
  return dialect === 'postgres' ? query.forUpdate().skipLocked().execute() : query.execute();
}

export async function findSubscriptionByOriginTransaction(
  db: Executor,
  tenant: Tenant,
  transactionId: string,
): Promise<SubscriptionRow | undefined> {
  // @NOTE compiled once: every paid checkout and pay helper asks it (a subscription made through the API).
  const query = tenantQueryWith(db, 'subscription by origin transaction', tenant, [transactionId], (db, tenant, [id]) =>
    tenantRows(db, 'subscriptions', tenant).where('origin_transaction_id', '=', id as string),
  );
  return (await db.executeQuery(query)).rows[0];
}

export async function listSubscriptions(
  db: Executor,
  tenant: Tenant,
  filters: SubscriptionFilters,
  page: PageRequest,
): Promise<Page<SubscriptionRow>> {
  let query = tenantRows(db, 'subscriptions', tenant);
  if (filters.id) query = query.where('id', 'in', filters.id);
  if (filters.customer_id) query = query.where('customer_id', 'in', filters.customer_id);
  if (filters.address_id) query = query.where('address_id', 'in', filters.address_id);
  if (filters.status) query = query.where('status', 'in', filters.status);
  if (filters.collection_mode) query = query.where('collection_mode', '=', filters.collection_mode);
  if (filters.price_id) {
    // @NOTE items are JSON text; a price id is a unique token, so a containment match is exact enough.
    const ids = filters.price_id;
    query = query.where((eb) =>
      eb.or(ids.map((id) => eb('items', 'like', `%"id":"${id.replace(/[^a-z0-9_]/g, '')}"%`))),
    );
  }
  if (filters.scheduled_change_action) {
    const actions = filters.scheduled_change_action;
    query = query.where((eb) =>
      eb.or(actions.map((action) => eb('scheduled_change', 'like', `{"action":"${action.replace(/[^a-z]/g, '')}"%`))),
    );
  }
  return fetchPage(db, 'subscriptions', query, page);
}

export async function insertSubscription(db: Executor, row: SubscriptionRow): Promise<void> {
  await insertRows(db, 'subscriptions', [row]);
}

export async function updateSubscription(db: Executor, row: SubscriptionRow): Promise<void> {
  await updateById(db, 'subscriptions', row);
}

/** Writes many whole subscription rows (a batch of renewals' changes) in as few statements as the limits allow. */
export async function writeSubscriptions(db: Executor, rows: readonly SubscriptionRow[]): Promise<void> {
  await upsertRows(db, 'subscriptions', rows, ['seller_id', 'environment', 'id']);
}

/** Subscriptions of the tenant with work due at or before `at` (stored form), oldest due first. */
export async function dueSubscriptionIds(db: Executor, tenant: Tenant, at: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('next_due_at', '<=', at)
    .orderBy('next_due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** The earliest `next_due_at` of the tenant's subscriptions (strictly after `after` when given), or null. */
export async function earliestDue(db: Executor, tenant: Tenant, after?: string): Promise<string | null> {
  let query = db
    .selectFrom('subscriptions')
    .select('next_due_at')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('next_due_at', 'is not', null);
  if (after !== undefined) query = query.where('next_due_at', '>', after);
  const row = await query.orderBy('next_due_at').limit(1).executeTakeFirst();
  return row?.next_due_at ?? null;
}
