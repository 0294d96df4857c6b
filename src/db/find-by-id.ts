// Reads and writes of one row by its tenant and id. Get-by-id is the hottest query there is: its SQL is built
// and compiled once per database and table, then run with the tenant and id as parameters (building a Kysely
// query costs more than running it on SQLite).
import type { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';
import type { Database, Tenant } from './tables.js';

type TenantTable = Exclude<keyof Database, 'sellers'>;

const compiled = new WeakMap<Executor, Map<string, CompiledQuery>>();

function compiledFor(db: Executor, table: TenantTable): CompiledQuery {
  let byTable = compiled.get(db);
  if (!byTable) {
    byTable = new Map();
    compiled.set(db, byTable);
  }
  let query = byTable.get(table);
  if (!query) {
    query = (db as Executor)
      .selectFrom(table as 'customers')
      .selectAll()
      .where('seller_id', '=', '')
      .where('environment', '=', 'sandbox')
      .where('id', '=', '')
      .compile();
    byTable.set(table, query);
  }
  return query;
}

/** The row of `table` with this id in the tenant, or undefined. */
export async function findById<T>(db: Executor, table: TenantTable, tenant: Tenant, id: string): Promise<T | undefined> {
  const query = compiledFor(db, table);
  const result = await db.executeQuery<T>({ ...query, parameters: [tenant.seller_id, tenant.environment, id] });
  return result.rows[0];
}

/** Writes every column of `row` (found by its tenant and id) back to `table`. */
export async function updateById<R extends Tenant & { id: string }>(db: Executor, table: TenantTable, row: R): Promise<void> {
  const { seller_id, environment, id, ...changes } = row;
  await db
    .updateTable(table as 'customers')
    .set(changes as never)
    .where('seller_id', '=', seller_id)
    .where('environment', '=', environment)
    .where('id', '=', id)
    .execute();
}

/**
 * The row, locked until the end of the database transaction on PostgreSQL (`FOR UPDATE`; with `skipLocked`,
 * undefined when another transaction holds it). SQLite serialises writers, so there the row is simply read.
 */
export async function lockById<T>(
  db: Executor,
  table: TenantTable,
  tenant: Tenant,
  id: string,
  dialect: 'sqlite' | 'postgres',
  options: { skipLocked?: boolean } = {},
): Promise<T | undefined> {
  if (dialect === 'sqlite') return findById<T>(db, table, tenant, id);
  let query = (db as Executor)
    .selectFrom(table as 'customers')
    .selectAll()
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .forUpdate();
  if (options.skipLocked) query = query.skipLocked();
  return (await query.executeTakeFirst()) as T | undefined;
}
