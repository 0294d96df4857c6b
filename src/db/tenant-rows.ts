// The tenant filter, written once: every query on a tenant table (read, update, delete) starts from the rows of one seller in one
// environment (the key Paddock will be sharded by). Column references are qualified, so callers may join.
import {
  CompiledQuery,
  sql,
  type Compilable,
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

const PLACEHOLDER_SELLER = '\u0000seller_id';
const PLACEHOLDER_ENVIRONMENT = '\u0000environment';
/** The placeholders of `tenantQueryWith`'s values: the prefix and the value's index. */
const VALUE_PREFIX = '\u0000value ';
/** Compiled tenant queries by dialect (adapter), then by name. */
const compiledQueries = new WeakMap<object, Map<string, CompiledQuery>>();

/**
 * The query `build` makes for `tenant`, built and compiled by Kysely once per dialect and `name` (building a query
 * cost more than SQLite spends running a small one, #13): `build` gets a placeholder tenant, whose values each call
 * replaces with `tenant`'s. `build` must depend on nothing but the database and the tenant it is given.
 */
export function tenantQuery<R>(
  db: Executor,
  name: string,
  tenant: Tenant,
  build: (db: Executor, tenant: Tenant) => Compilable<R>,
): CompiledQuery<R> {
  return tenantQueryWith(db, name, tenant, [], build);
}

/**
 * `tenantQuery` with `values` as parameters too: `build` gets a placeholder for each (a string, in their order),
 * and each call puts `values` in their places. `name` must tell apart whatever changes the SQL (the number of
 * values of an `in` list).
 */
export function tenantQueryWith<R>(
  db: Executor,
  name: string,
  tenant: Tenant,
  values: readonly unknown[],
  build: (db: Executor, tenant: Tenant, values: string[]) => Compilable<R>,
): CompiledQuery<R> {
  const adapter = db.getExecutor().adapter;
  let byName = compiledQueries.get(adapter);
  if (!byName) {
    byName = new Map();
    compiledQueries.set(adapter, byName);
  }
  let compiled = byName.get(name);
  if (!compiled) {
    const placeholder = { seller_id: PLACEHOLDER_SELLER, environment: PLACEHOLDER_ENVIRONMENT } as unknown as Tenant;
    compiled = build(
      db,
      placeholder,
      values.map((_, index) => `${VALUE_PREFIX}${index}`),
    ).compile();
    byName.set(name, compiled);
  }
  const parameters = compiled.parameters.map((value) => {
    if (value === PLACEHOLDER_SELLER) return tenant.seller_id;
    if (value === PLACEHOLDER_ENVIRONMENT) return tenant.environment;
    if (typeof value === 'string' && value.startsWith(VALUE_PREFIX))
      return values[Number(value.slice(VALUE_PREFIX.length))];
    return value;
  });
  return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>;
}
