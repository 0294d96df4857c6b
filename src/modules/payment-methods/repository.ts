import type { Executor } from '../../db/database.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { PaymentMethodRow, Tenant } from '../../db/tables.js';
import { insertRows } from '../../db/insert-rows.js';
import { tenantRows } from '../../db/tenant-rows.js';
import type { OperationQuery } from '../../spec/operations.js';

/** list-customer-payment-methods' filters the query can answer, as its query parameters arrive. */
export type PaymentMethodFilters = Pick<OperationQuery<'list-customer-payment-methods'>, 'address_id'>;

/** The tenant's payment methods of one customer. */
function scoped(db: Executor, tenant: Tenant, customerId: string) {
  return tenantRows(db, 'payment_methods', tenant).where('payment_methods.customer_id', '=', customerId);
}

export async function findPaymentMethod(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  id: string,
): Promise<PaymentMethodRow | undefined> {
  return scoped(db, tenant, customerId).where('id', '=', id).executeTakeFirst();
}

/** The tenant's payment methods with these ids, whoever their customers (one query for many). */
export async function findPaymentMethodsByIds(
  db: Executor,
  tenant: Tenant,
  ids: readonly string[],
): Promise<PaymentMethodRow[]> {
  if (ids.length === 0) return [];
  return tenantRows(db, 'payment_methods', tenant)
    .where('payment_methods.id', 'in', [...ids])
    .execute();
}

export async function listPaymentMethods(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  filters: PaymentMethodFilters,
  page: PageRequest,
): Promise<Page<PaymentMethodRow>> {
  let query = scoped(db, tenant, customerId);
  if (filters.address_id) query = query.where('address_id', 'in', filters.address_id);
  return fetchPage(db, 'payment_methods', query, page);
}

export async function insertPaymentMethod(db: Executor, row: PaymentMethodRow): Promise<void> {
  await insertRows(db, 'payment_methods', [row]);
}

export async function deletePaymentMethod(db: Executor, tenant: Tenant, customerId: string, id: string): Promise<void> {
  await db
    .deleteFrom('payment_methods')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('customer_id', '=', customerId)
    .where('id', '=', id)
    .execute();
}
