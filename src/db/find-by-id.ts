// Reads and writes of one row by its tenant and id. Get-by-id is the hottest query there is: its SQL is built
// and compiled once per database and table, then run with the tenant and id as parameters (building a Kysely
// query costs more than running it on SQLite). On SQLite a row already read is given out again while the
// database's change token is unchanged (db/read-cache.ts): checking the token costs a third of reading the row.
import { CompiledQuery, sql } from 'kysely';
import { changeToken } from './change-token.js';
import type { Executor, Trx } from './database.js';
import { ReadCache } from './read-cache.js';
import { prepareWrite, readPrepared } from './prepared-read.js';
import { readFirstNow } from './read-now.js';
import type { Tenant, TenantTable } from './tables.js';
import { tenantRows } from './tenant-rows.js';

/**
 * Compiled get-by-id queries by SQL dialect (adapter), then by table. @NOTE by adapter, not by the `db` handle:
 * every database transaction is a handle of its own, so a cache by handle compiled the query again in each one
 * (a subscription made through the API reads five rows by id inside transactions).
 */
const compiled = new WeakMap<object, Map<string, CompiledQuery>>();

function compiledFor(db: Executor, table: TenantTable): CompiledQuery {
  const adapter = db.getExecutor().adapter;
  let byTable = compiled.get(adapter);
  if (!byTable) {
    byTable = new Map();
    compiled.set(adapter, byTable);
  }
  let query = byTable.get(table);
  if (!query) {
    query = tenantRows(db, table, { seller_id: '', environment: 'sandbox' })
      .where(sql.ref(`${table}.id`), '=', '')
      .compile();
    byTable.set(table, query);
  }
  return query;
}

/** Rows by table, tenant and id; frozen, since every reader of the row shares it. */
const rowCache = new ReadCache<object>(10_000);

interface HandedOver {
  table: TenantTable;
  id: string;
  /** undefined: the tenant has no such row. */
  row: object | undefined;
}

/**
 * Rows read together with a request's API key (one round trip on PostgreSQL: api-keys/repository.ts), by the
 * request's own tenant object, which that read made fresh for the request: no other request or job holds it.
 */
const handedOver = new WeakMap<Tenant, HandedOver>();

/**
 * Hands `findById` the row of `table` with this id, read under the tenant filter together with the key that gave
 * `tenant` (undefined when there is none): the request's first `findById` of that row, outside a transaction,
 * answers it instead of reading again. Taken once, so a later read in the same request (after a write) reads anew.
 */
export function handOverRow(tenant: Tenant, table: TenantTable, id: string, row: object | undefined): void {
  handedOver.set(tenant, { table, id, row });
}

/** The row of `table` with this id in the tenant, or undefined. The row is read-only (it may be shared). */
export async function findById<T>(
  db: Executor,
  table: TenantTable,
  tenant: Tenant,
  id: string,
): Promise<T | undefined> {
  const handed = handedOver.get(tenant);
  if (handed !== undefined && handed.table === table && handed.id === id && !db.isTransaction) {
    handedOver.delete(tenant);
    return handed.row as T | undefined;
  }
  const token = changeToken(db);
  if (token === undefined) return readRow<T>(db, table, tenant, id);
  const key = `${table}/${tenant.seller_id}/${tenant.environment}/${id}`;
  const kept = rowCache.get(db, key, token);
  if (kept) return kept as T;
  const query = compiledFor(db, table);
  const now = readFirstNow<T>(db, query.sql, [tenant.seller_id, tenant.environment, id]);
  // @NOTE busy (inside another request's transaction): read through Kysely, and keep nothing.
  if (!now) return readRow<T>(db, table, tenant, id);
  if (now.row && now.keep) rowCache.set(db, key, token, Object.freeze(now.row as object));
  return now.row;
}

async function readRow<T>(db: Executor, table: TenantTable, tenant: Tenant, id: string): Promise<T | undefined> {
  const query = compiledFor(db, table);
  return (await readPrepared<T>(db, query.sql, [tenant.seller_id, tenant.environment, id]))[0];
}

/** The SQL of updates by id, by SQL dialect (adapter) and by table and columns: built by Kysely once. */
const updateSql = new WeakMap<object, Map<string, string>>();

function updateSqlFor(db: Executor, table: TenantTable, columns: readonly string[]): string {
  const adapter = db.getExecutor().adapter;
  let byShape = updateSql.get(adapter);
  if (!byShape) {
    byShape = new Map();
    updateSql.set(adapter, byShape);
  }
  const shape = `${table}(${columns.join(',')})`;
  let text = byShape.get(shape);
  if (!text) {
    text = db
      .updateTable(table as 'customers')
      .set(Object.fromEntries(columns.map((column) => [column, null])) as never)
      .where('seller_id', '=', '')
      .where('environment', '=', 'sandbox')
      .where('id', '=', '')
      .compile().sql;
    byShape.set(shape, text);
    prepareWrite(text);
  }
  return text;
}

/**
 * Writes every column of `row` (found by its tenant and id) back to `table`. @NOTE its SQL is built once per table
 * and set of columns (a renewal writes whole rows four times; building each with Kysely cost more than running it).
 */
export async function updateById<R extends Tenant & { id: string }>(
  db: Executor,
  table: TenantTable,
  row: R,
): Promise<void> {
  const { seller_id, environment, id, ...changes } = row;
  const values = changes as Record<string, unknown>;
  const columns = Object.keys(values).filter((column) => values[column] !== undefined);
  const parameters = [...columns.map((column) => values[column]), seller_id, environment, id];
  await db.executeQuery(CompiledQuery.raw(updateSqlFor(db, table, columns), parameters));
}

/**
 * The row, locked until the end of the database transaction on PostgreSQL (`FOR UPDATE`; with `skipLocked`,
 * undefined when another transaction holds it). SQLite serialises writers, so there the row is simply read.
 */
export async function lockById<T>(
  db: Trx,
  table: TenantTable,
  tenant: Tenant,
  id: string,
  dialect: 'sqlite' | 'postgres',
  options: { skipLocked?: boolean } = {},
): Promise<T | undefined> {
  if (dialect === 'sqlite') return readRow<T>(db, table, tenant, id);
  let query = tenantRows(db, table, tenant)
    .where(sql.ref(`${table}.id`), '=', id)
    .forUpdate();
  if (options.skipLocked) query = query.skipLocked();
  return (await query.executeTakeFirst()) as T | undefined;
}
