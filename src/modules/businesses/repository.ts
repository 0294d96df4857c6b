import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import { columnsContain, containsPattern, likeContains } from '../../db/search.js';
import type { BusinessRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';
import type { OperationQuery } from '../../spec/operations.js';

/** list-businesses' filters, as its query parameters arrive. */
export type BusinessFilters = Pick<OperationQuery<'list-businesses'>, 'id' | 'status' | 'search'>;

/** The tenant's businesses of one customer. */
function scoped(db: Executor, tenant: Tenant, customerId: string) {
  return tenantRows(db, 'businesses', tenant).where('businesses.customer_id', '=', customerId);
}

export async function findBusiness(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  id: string,
): Promise<BusinessRow | undefined> {
  return scoped(db, tenant, customerId).where('businesses.id', '=', id).executeTakeFirst();
}

export async function listBusinesses(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  filters: BusinessFilters,
  page: PageRequest,
): Promise<Page<BusinessRow>> {
  let query = scoped(db, tenant, customerId);
  if (filters.id) query = query.where('businesses.id', 'in', filters.id);
  if (filters.status) query = query.where('businesses.status', 'in', filters.status);
  if (filters.search) {
    const search = filters.search;
    // @NOTE contacts are JSON text: drop the two key names so a search for "email" or "name" does not match
    // every business, and match the term as it appears inside a JSON string (quotes and backslashes escaped).
    const contactValues = sql`replace(replace(lower(${sql.ref('businesses.contacts')}), '"name":', ''), '"email":', '')`;
    const jsonPattern = containsPattern(JSON.stringify(search).slice(1, -1));
    query = query.where((eb) =>
      eb.or([
        ...columnsContain('businesses', ['id', 'name', 'company_number', 'tax_identifier'], search),
        likeContains(contactValues, jsonPattern),
      ]),
    );
  }
  return fetchPage(db, 'businesses', query, page);
}

export async function insertBusiness(db: Executor, row: BusinessRow): Promise<void> {
  await db.insertInto('businesses').values(row).execute();
}

export async function updateBusiness(db: Executor, row: BusinessRow): Promise<void> {
  await updateById(db, 'businesses', row);
}
