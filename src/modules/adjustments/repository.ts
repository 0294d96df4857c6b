import type { Executor, Trx } from '../../db/database.js';
import { lockById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { AdjustmentRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

/** list-adjustments' filters (each a list of accepted values). */
export interface AdjustmentFilters {
  id?: readonly string[] | undefined;
  action?: string | undefined;
  status?: readonly string[] | undefined;
  customer_id?: readonly string[] | undefined;
  subscription_id?: readonly string[] | undefined;
  transaction_id?: readonly string[] | undefined;
}

export async function listAdjustments(
  db: Executor,
  tenant: Tenant,
  filters: AdjustmentFilters,
  page: PageRequest,
): Promise<Page<AdjustmentRow>> {
  let query = tenantRows(db, 'adjustments', tenant);
  if (filters.id) query = query.where('id', 'in', [...filters.id]);
  if (filters.action) query = query.where('action', '=', filters.action);
  if (filters.status) query = query.where('status', 'in', [...filters.status]);
  if (filters.customer_id) query = query.where('customer_id', 'in', [...filters.customer_id]);
  if (filters.subscription_id) query = query.where('subscription_id', 'in', [...filters.subscription_id]);
  if (filters.transaction_id) query = query.where('transaction_id', 'in', [...filters.transaction_id]);
  return fetchPage(db, 'adjustments', query, page);
}

/** Every adjustment of the transactions, oldest first. */
export async function adjustmentsOfTransactions(
  db: Executor,
  tenant: Tenant,
  transactionIds: readonly string[],
): Promise<AdjustmentRow[]> {
  if (transactionIds.length === 0) return [];
  return tenantRows(db, 'adjustments', tenant)
    .where('transaction_id', 'in', [...transactionIds])
    .orderBy('id')
    .execute();
}

export async function insertAdjustment(db: Executor, row: AdjustmentRow): Promise<void> {
  await db.insertInto('adjustments').values(row).execute();
}

export async function updateAdjustment(db: Executor, row: AdjustmentRow): Promise<void> {
  await updateById(db, 'adjustments', row);
}

/** The adjustment locked for its approval; undefined when another process holds it (or it is gone). */
export async function claimAdjustment(
  db: Trx,
  tenant: Tenant,
  id: string,
  dialect: 'sqlite' | 'postgres',
): Promise<AdjustmentRow | undefined> {
  return lockById<AdjustmentRow>(db, 'adjustments', tenant, id, dialect, { skipLocked: true });
}

/** Pending refunds to approve at or before `at`, earliest first. */
export async function dueApprovalIds(db: Executor, tenant: Tenant, at: string, limit: number): Promise<string[]> {
  const rows = await tenantRows(db, 'adjustments', tenant)
    .select('id')
    .where('approve_at', '<=', at)
    .orderBy('approve_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** The earliest pending approval (strictly after `after` when given), or null. */
export async function earliestApproval(db: Executor, tenant: Tenant, after?: string): Promise<string | null> {
  let query = tenantRows(db, 'adjustments', tenant).select('approve_at').where('approve_at', 'is not', null);
  if (after !== undefined) query = query.where('approve_at', '>', after);
  const row = await query.orderBy('approve_at').limit(1).executeTakeFirst();
  return row?.approve_at ?? null;
}
