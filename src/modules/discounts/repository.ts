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
 * both count.
 */
export async function incrementTimesUsed(db: Executor, tenant: Tenant, id: string, updatedAt: string): Promise<void> {
  await db
    .updateTable('discounts')
    .set((eb) => ({ times_used: eb('times_used', '+', 1n), updated_at: updatedAt }))
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .execute();
}
