// The tenant filter, written once: every query on a tenant table (read, update, delete) starts from the rows of one seller in one
// environment (the key Paddock will be sharded by). Column references are qualified, so callers may join.
import {
  sql,
  type DeleteQueryBuilder,
  type DeleteResult,
  type Selectable,
  type SelectQueryBuilder,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely';
import type { Executor } from './database.js';
import type { Database, Tenant, TenantTable } from './tables.js';

/** `select <table>.* from <table>` limited to the tenant's rows; callers add their own filters and joins. */
export function tenantRows<T extends TenantTable>(
  db: Executor,
  table: T,
  tenant: Tenant,
): SelectQueryBuilder<Database, T, Selectable<Database[T]>> {
  const query = db
    .selectFrom(table as 'customers')
    .selectAll(table as 'customers')
    .where(sql.ref(`${table}.seller_id`), '=', tenant.seller_id)
    .where(sql.ref(`${table}.environment`), '=', tenant.environment);
  return query as unknown as SelectQueryBuilder<Database, T, Selectable<Database[T]>>;
}

/** `update <table>` limited to the tenant's rows; callers add `set` and their own filters. */
export function tenantUpdate<T extends TenantTable>(
  db: Executor,
  table: T,
  tenant: Tenant,
): UpdateQueryBuilder<Database, T, T, UpdateResult> {
  const query = db
    .updateTable(table as 'customers')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment);
  return query as unknown as UpdateQueryBuilder<Database, T, T, UpdateResult>;
}

/** `delete from <table>` limited to the tenant's rows; callers add their own filters. */
export function tenantDelete<T extends TenantTable>(
  db: Executor,
  table: T,
  tenant: Tenant,
): DeleteQueryBuilder<Database, T, DeleteResult> {
  const query = db
    .deleteFrom(table as 'customers')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment);
  return query as unknown as DeleteQueryBuilder<Database, T, DeleteResult>;
}
