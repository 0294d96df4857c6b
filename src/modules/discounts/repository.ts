import type { Executor } from '../../db/database.js';
import { findById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { DiscountRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

/** list-discounts' filters, as the service passes them: codes already lower-cased (`code_key`). */
export interface DiscountFilters {
  id?: readonly string[] | undefined;
  codeKeys?: readonly string[] | undefined;
  status?: readonly string[] | undefined;
  mode?: string | undefined;
  discount_group_id?: readonly string[] | undefined;
}

export async function findDiscount(db: Executor, tenant: Tenant, id: string): Promise<DiscountRow | undefined> {
  return findById<DiscountRow>(db, 'discounts', tenant, id);
}

/** The tenant's discount whose code is `codeKey` (lower-cased), whatever its status. */
export async function findDiscountByCode(
  db: Executor,
  tenant: Tenant,
  codeKey: string,
): Promise<DiscountRow | undefined> {
  return tenantRows(db, 'discounts', tenant).where('code_key', '=', codeKey).executeTakeFirst();
}

export async function listDiscounts(
  db: Executor,
  tenant: Tenant,
  filters: DiscountFilters,
  page: PageRequest,
): Promise<Page<DiscountRow>> {
  let query = tenantRows(db, 'discounts', tenant);
  if (filters.id) query = query.where('id', 'in', [...filters.id]);
  if (filters.codeKeys) query = query.where('code_key', 'in', [...filters.codeKeys]);
  if (filters.status) query = query.where('status', 'in', [...filters.status]);
  if (filters.mode) query = query.where('mode', '=', filters.mode);
  if (filters.discount_group_id) query = query.where('discount_group_id', 'in', [...filters.discount_group_id]);
  return fetchPage(db, 'discounts', query, page);
}

export async function insertDiscount(db: Executor, row: DiscountRow): Promise<void> {
  await db.insertInto('discounts').values(row).execute();
}

export async function updateDiscount(db: Executor, row: DiscountRow): Promise<void> {
  await updateById(db, 'discounts', row);
}
/**
 * Adds one to `times_used` in the database itself (not read-modify-write), so two redemptions committed at once
 * both count. With `withinLimit`, only while `times_used` is below `usage_limit` (or there is none): the condition
 * is evaluated on the row as the update finds it, after any concurrent redemption committed (PostgreSQL re-reads a
 * row another transaction updated; SQLite runs one writer at a time), so the last use is claimed once. Returns
 * whether a row was updated (false: no such discount, or used up).
 */
export async function incrementTimesUsed(
  db: Executor,
  tenant: Tenant,
  id: string,
  updatedAt: string,
  withinLimit = false,
): Promise<boolean> {
  let update = db
    .updateTable('discounts')
    .set((eb) => ({ times_used: eb('times_used', '+', 1n), updated_at: updatedAt }))
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id);
  if (withinLimit)
    update = update.where((eb) => eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]));
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
