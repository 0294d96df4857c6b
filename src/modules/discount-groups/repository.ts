import type { Executor } from '../../db/database.js';
import { findById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { DiscountGroupRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

export async function findDiscountGroup(
  db: Executor,
  tenant: Tenant,
  id: string,
): Promise<DiscountGroupRow | undefined> {
  return findById<DiscountGroupRow>(db, 'discount_groups', tenant, id);
}

/** The tenant's groups among `ids` (any status); unknown ids are left out. */
export async function findDiscountGroups(
  db: Executor,
  tenant: Tenant,
  ids: readonly string[],
): Promise<DiscountGroupRow[]> {
  if (ids.length === 0) return [];
  return tenantRows(db, 'discount_groups', tenant)
    .where('id', 'in', [...ids])
    .execute();
}

/** The tenant's group named exactly `name`, whatever its status. */
export async function findDiscountGroupByName(
  db: Executor,
  tenant: Tenant,
  name: string,
): Promise<DiscountGroupRow | undefined> {
  return tenantRows(db, 'discount_groups', tenant).where('name', '=', name).executeTakeFirst();
}

export async function listDiscountGroups(
  db: Executor,
  tenant: Tenant,
  filters: { id?: readonly string[] | undefined },
  page: PageRequest,
): Promise<Page<DiscountGroupRow>> {
  let query = tenantRows(db, 'discount_groups', tenant);
  if (filters.id) query = query.where('id', 'in', [...filters.id]);
  return fetchPage(db, 'discount_groups', query, page);
}

/** Whether a write failed on a unique index: PostgreSQL's `23505`, SQLite's `SQLITE_CONSTRAINT_UNIQUE`. */
function isUniqueViolation(error: unknown): boolean {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Writes the group; `name_taken` when another group of the tenant got its name first (the unique index on
 * seller, environment and name: a concurrent request the service's check could not see). On PostgreSQL the
 * transaction can do nothing more then: the caller throws.
 */
export async function insertDiscountGroup(db: Executor, row: DiscountGroupRow): Promise<'written' | 'name_taken'> {
  try {
    await db.insertInto('discount_groups').values(row).execute();
    return 'written';
  } catch (error) {
    if (isUniqueViolation(error)) return 'name_taken';
    throw error;
  }
}

/** Writes the changed group; `name_taken` as `insertDiscountGroup` says. */
export async function updateDiscountGroup(db: Executor, row: DiscountGroupRow): Promise<'written' | 'name_taken'> {
  try {
    await updateById(db, 'discount_groups', row);
    return 'written';
  } catch (error) {
    if (isUniqueViolation(error)) return 'name_taken';
    throw error;
  }
}
