import type { Executor } from '../../db/database.js';
import { findById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import { columnsContain } from '../../db/search.js';
import type { AddressRow, Tenant } from '../../db/tables.js';
import { insertRows } from '../../db/insert-rows.js';
import { tenantRows } from '../../db/tenant-rows.js';
import type { OperationQuery } from '../../spec/operations.js';

/** list-addresses' filters, as its query parameters arrive. */
export type AddressFilters = Pick<OperationQuery<'list-addresses'>, 'id' | 'status' | 'search'>;

/** Columns `search` looks in: every text field except status and the timestamps. */
const SEARCHED = [
  'id',
  'description',
  'first_line',
  'second_line',
  'city',
  'postal_code',
  'region',
  'country_code',
] as const;

/** The tenant's addresses of one customer. */
function scoped(db: Executor, tenant: Tenant, customerId: string) {
  return tenantRows(db, 'addresses', tenant).where('addresses.customer_id', '=', customerId);
}

export async function findAddress(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  id: string,
): Promise<AddressRow | undefined> {
  // @NOTE by id (compiled once, kept on SQLite: db/find-by-id.ts), then the customer checked: a transaction reads
  // its address with every answer (#13).
  const row = await findById<AddressRow>(db, 'addresses', tenant, id);
  return row?.customer_id === customerId ? row : undefined;
}

/** The tenant's addresses with these ids, whoever their customers (one query for many). */
export async function findAddressesByIds(db: Executor, tenant: Tenant, ids: readonly string[]): Promise<AddressRow[]> {
  if (ids.length === 0) return [];
  return tenantRows(db, 'addresses', tenant)
    .where('addresses.id', 'in', [...ids])
    .execute();
}

export async function listAddresses(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  filters: AddressFilters,
  page: PageRequest,
): Promise<Page<AddressRow>> {
  let query = scoped(db, tenant, customerId);
  if (filters.id) query = query.where('addresses.id', 'in', filters.id);
  if (filters.status) query = query.where('addresses.status', 'in', filters.status);
  if (filters.search) {
    const search = filters.search;
    query = query.where((eb) => eb.or(columnsContain('addresses', SEARCHED, search)));
  }
  return fetchPage(db, 'addresses', query, page);
}

export async function insertAddress(db: Executor, row: AddressRow): Promise<void> {
  await insertRows(db, 'addresses', [row]);
}

export async function updateAddress(db: Executor, row: AddressRow): Promise<void> {
  await updateById(db, 'addresses', row);
}
