import type { Executor } from '../../db/database.js';
import { findById, updateById } from '../../db/find-by-id.js';
import { insertRowUnlessConflict } from '../../db/insert-rows.js';
import { fetchKeptPage, type Page, type PageRequest } from '../../db/pagination.js';
import { columnsContain } from '../../db/search.js';
import type { CustomerRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';
import type { OperationQuery } from '../../spec/operations.js';

/** list-customers' filters, as its query parameters arrive. */
export type CustomerFilters = Pick<OperationQuery<'list-customers'>, 'id' | 'email' | 'status' | 'search'>;

export async function findCustomer(db: Executor, tenant: Tenant, id: string): Promise<CustomerRow | undefined> {
  return findById<CustomerRow>(db, 'customers', tenant, id);
}

export async function findCustomerByEmail(
  db: Executor,
  tenant: Tenant,
  email: string,
): Promise<CustomerRow | undefined> {
  return tenantRows(db, 'customers', tenant).where('email_key', '=', email.toLowerCase()).executeTakeFirst();
}

/** A page of the tenant's customers matching `filters`; kept by the filters (fetchKeptPage), so built from them alone. */
export async function listCustomers(
  db: Executor,
  tenant: Tenant,
  filters: CustomerFilters,
  page: PageRequest,
): Promise<Page<CustomerRow>> {
  const { id, email, status, search } = filters;
  return fetchKeptPage(
    db,
    'customers',
    [tenant.seller_id, tenant.environment, id, email, status, search],
    () => {
      let query = tenantRows(db, 'customers', tenant);
      if (id) query = query.where('id', 'in', id);
      if (email)
        query = query.where(
          'email_key',
          'in',
          email.map((address) => address.toLowerCase()),
        );
      if (status) query = query.where('status', 'in', status);
      if (search) query = query.where((eb) => eb.or(columnsContain('customers', ['id', 'name', 'email_key'], search)));
      return query;
    },
    page,
  );
}

/**
 * Inserts `row` unless the tenant already has a customer with its email (compared without case): answers whether
 * it was inserted. @NOTE the unique index decides, so a create needs no read first (#13) and two creates of one
 * email at once cannot both succeed.
 */
export async function insertCustomer(db: Executor, row: CustomerRow): Promise<boolean> {
  return insertRowUnlessConflict(db, 'customers', row, ['seller_id', 'environment', 'email_key']);
}

export async function updateCustomer(db: Executor, row: CustomerRow): Promise<void> {
  await updateById(db, 'customers', row);
}
