import type { Executor } from '../../db/database.js';
import { findById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest, type SortKey } from '../../db/pagination.js';
import type { PriceRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';
import { billingCycleColumn } from '../../db/json.js';
import type { OperationQuery } from '../../spec/operations.js';

/** list-prices' filters, as its query parameters arrive. `recurring`: true, only prices with a billing cycle. */
export type PriceFilters = Pick<OperationQuery<'list-prices'>, 'id' | 'product_id' | 'status' | 'type' | 'recurring'>;

/** `order_by` fields of list-prices that are not plain text columns of the same name. */
const SORT_KEYS: Record<string, SortKey> = {
  'unit_price.amount': { column: 'unit_price_amount', kind: 'number', nullable: false },
  'unit_price.currency_code': { column: 'unit_price_currency', nullable: false },
  'quantity.minimum': { column: 'quantity_minimum', kind: 'number', nullable: false },
  'quantity.maximum': { column: 'quantity_maximum', kind: 'number', nullable: false },
  'billing_cycle.interval': { column: 'billing_cycle_interval' },
  'billing_cycle.frequency': { column: 'billing_cycle_frequency', kind: 'number' },
};

/** The sort columns follow billing_cycle on every write. */
function withSortColumns(row: PriceRow): PriceRow {
  const cycle = billingCycleColumn.decode(row.billing_cycle);
  return {
    ...row,
    billing_cycle_interval: cycle?.interval ?? null,
    billing_cycle_frequency: cycle ? BigInt(cycle.frequency) : null,
  };
}

export async function findPrice(db: Executor, tenant: Tenant, id: string): Promise<PriceRow | undefined> {
  return findById<PriceRow>(db, 'prices', tenant, id);
}

/** Every price of the given products, oldest first. */
export async function findPricesOfProducts(
  db: Executor,
  tenant: Tenant,
  productIds: readonly string[],
): Promise<PriceRow[]> {
  if (productIds.length === 0) return [];
  return tenantRows(db, 'prices', tenant)
    .where('product_id', 'in', [...productIds])
    .orderBy('id', 'asc')
    .execute();
}

export async function listPrices(
  db: Executor,
  tenant: Tenant,
  filters: PriceFilters,
  page: PageRequest,
): Promise<Page<PriceRow>> {
  let query = tenantRows(db, 'prices', tenant);
  if (filters.id) query = query.where('id', 'in', filters.id);
  if (filters.product_id) query = query.where('product_id', 'in', filters.product_id);
  if (filters.status) query = query.where('status', 'in', filters.status);
  if (filters.type) query = query.where('type', '=', filters.type);
  if (filters.recurring === true) query = query.where('billing_cycle', 'is not', null);
  if (filters.recurring === false) query = query.where('billing_cycle', 'is', null);
  return fetchPage(db, 'prices', query, page, SORT_KEYS);
}

export async function insertPrice(db: Executor, row: PriceRow): Promise<void> {
  await db.insertInto('prices').values(withSortColumns(row)).execute();
}

export async function updatePrice(db: Executor, row: PriceRow): Promise<void> {
  await updateById(db, 'prices', withSortColumns(row));
}
