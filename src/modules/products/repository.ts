import type { Executor } from '../../db/database.js';
import { findById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { ProductRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';
import type { OperationQuery } from '../../spec/operations.js';

/** list-products' filters, as its query parameters arrive. */
export type ProductFilters = Pick<OperationQuery<'list-products'>, 'id' | 'status' | 'tax_category' | 'type'>;

export async function findProduct(db: Executor, tenant: Tenant, id: string): Promise<ProductRow | undefined> {
  return findById<ProductRow>(db, 'products', tenant, id);
}

export async function findProducts(db: Executor, tenant: Tenant, ids: readonly string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return tenantRows(db, 'products', tenant)
    .where('id', 'in', [...ids])
    .execute();
}

export async function listProducts(
  db: Executor,
  tenant: Tenant,
  filters: ProductFilters,
  page: PageRequest,
): Promise<Page<ProductRow>> {
  let query = tenantRows(db, 'products', tenant);
  if (filters.id) query = query.where('id', 'in', filters.id);
  if (filters.status) query = query.where('status', 'in', filters.status);
  if (filters.tax_category) query = query.where('tax_category', 'in', filters.tax_category);
  if (filters.type) query = query.where('type', '=', filters.type);
  return fetchPage(db, 'products', query, page);
}

export async function insertProduct(db: Executor, row: ProductRow): Promise<void> {
  await db.insertInto('products').values(row).execute();
}

export async function updateProduct(db: Executor, row: ProductRow): Promise<void> {
  await updateById(db, 'products', row);
}
