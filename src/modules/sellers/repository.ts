import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Db, Dialect, Executor, Trx } from '../../db/database.js';
import type { Environment, SellerEnvironmentsTable, Tenant, TenantTable } from '../../db/tables.js';
import { readPrepared } from '../../db/prepared-read.js';
import { writeAllNow } from '../../db/write-now.js';
import { tenantRows } from '../../db/tenant-rows.js';
import { tenantTablesOf, TENANT_TABLES } from '../../db/tenant-tables.js';

export async function insertSeller(
  db: Executor,
  row: { id: string; name: string; created_at: string; parent_seller_id?: string | null },
): Promise<void> {
  await db
    .insertInto('sellers')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function insertSellerEnvironment(
  db: Executor,
  row: Tenant & {
    portal_id: string;
    portal_signing_secret: string;
    created_at: string;
    clock_frozen_at?: string | null;
  },
): Promise<void> {
  await db
    .insertInto('seller_environments')
    .values({ ...row, clock_offset_us: 0n, invoice_sequence: 0n })
    .onConflict((oc) => oc.columns(['seller_id', 'environment']).doNothing())
    .execute();
}

export async function findSellerEnvironment(db: Executor, tenant: Tenant) {
  const row = await tenantRows(db, 'seller_environments', tenant).executeTakeFirst();
  return row ? { ...row, clock_offset_us: BigInt(row.clock_offset_us) } : undefined;
}

/** Locks the environment's row for the rest of the transaction (PostgreSQL; SQLite writers are serial anyway). */
export async function lockSellerEnvironment(db: Trx, tenant: Tenant, dialect: 'sqlite' | 'postgres') {
  let query = tenantRows(db, 'seller_environments', tenant);
  if (dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? { ...row, clock_offset_us: BigInt(row.clock_offset_us) } : undefined;
}

/** Sets a running clock's offset (µs ahead of the wall clock). */
export async function updateClockOffset(db: Executor, tenant: Tenant, offsetMicros: bigint): Promise<void> {
  await updateClock(db, tenant, { offsetMicros, frozenAt: null });
}

/** Stores how the tenant's clock is kept: running `offsetMicros` ahead of the wall clock, or frozen at an instant. */
export async function updateClock(
  db: Executor,
  tenant: Tenant,
  clock: { offsetMicros: bigint; frozenAt: string | null },
): Promise<void> {
  await db
    .updateTable('seller_environments')
    .set({ clock_offset_us: clock.offsetMicros, clock_frozen_at: clock.frozenAt })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .execute();
}

/** Every seller environment with its clock offset (µs), for passes over all tenants (the scheduler). */
export async function listSellerEnvironmentClocks(db: Executor) {
  return db
    .selectFrom('seller_environments')
    .select(['seller_id', 'environment', 'clock_offset_us', 'clock_frozen_at'])
    .execute();
}

export type { Environment };

/** The environment a portal (`cpl_…`) belongs to: how public pages (checkout, portal, invoices) find their tenant. */
export async function findSellerEnvironmentByPortal(db: Executor, portalId: string) {
  const row = await db
    .selectFrom('seller_environments')
    .innerJoin('sellers', 'sellers.id', 'seller_environments.seller_id')
    .selectAll('seller_environments')
    .select('sellers.name as seller_name')
    .where('seller_environments.portal_id', '=', portalId)
    .executeTakeFirst();
  return row ? { ...row, clock_offset_us: BigInt(row.clock_offset_us) } : undefined;
}

/**
 * The portals (`cpl_…`) of every seller in one environment, oldest seller first: how a legacy buyer-portal link,
 * which names only a subscription, finds the tenant to look the subscription up in.
 */
export async function portalsOfEnvironment(
  db: Executor,
  environment: Environment,
): Promise<Array<{ seller_id: string; portal_id: string }>> {
  return db
    .selectFrom('seller_environments')
    .select(['seller_id', 'portal_id'])
    .where('environment', '=', environment)
    .orderBy('created_at', 'asc')
    .orderBy('seller_id', 'asc')
    .execute();
}

/** The clock columns of one tenant: offset and the advance in progress, if any. */
export async function findClockState(db: Executor, tenant: Tenant) {
  const row = await tenantRows(db, 'seller_environments', tenant)
    .select([
      'clock_offset_us',
      'clock_frozen_at',
      'clock_target_at',
      'clock_advance_from',
      'clock_advance_done',
      'clock_advance_failed',
      'clock_advance_owner',
      'clock_advance_lease_until',
    ])
    .executeTakeFirst();
  return row && { ...row, clock_offset_us: BigInt(row.clock_offset_us) };
}

export type AdvanceColumns = Partial<
  Pick<
    SellerEnvironmentsTable,
    'clock_offset_us' | 'clock_target_at' | 'clock_advance_from' | 'clock_advance_owner' | 'clock_advance_lease_until'
  > & { clock_advance_done: bigint; clock_advance_failed: bigint }
>;

/** Sets the advance columns; with `owner`, only while that process still holds the advance. True when written. */
export async function updateAdvance(db: Executor, tenant: Tenant, set: AdvanceColumns, owner?: string) {
  let query = db
    .updateTable('seller_environments')
    .set(set)
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment);
  if (owner !== undefined) query = query.where('clock_advance_owner', '=', owner);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Tenants with an advance in progress, with who holds it until when (the scheduler resumes abandoned ones). */
export async function listAdvancesInProgress(db: Executor) {
  return db
    .selectFrom('seller_environments')
    .select(['seller_id', 'environment', 'clock_advance_owner', 'clock_advance_lease_until'])
    .where('clock_target_at', 'is not', null)
    .execute();
}

export interface SellerListRow {
  id: string;
  name: string;
  parent_seller_id: string | null;
  created_at: string;
  environments: Environment[];
}

/**
 * Sellers (oldest first) with the environments they have: all of them, or those made by `parentSellerId`.
 * @NOTE the sellers table is not tenant-scoped: it is the list of tenants.
 */
export async function listSellerRows(db: Executor, parentSellerId?: string): Promise<SellerListRow[]> {
  let query = db
    .selectFrom('sellers')
    .innerJoin('seller_environments', 'seller_environments.seller_id', 'sellers.id')
    .select(['sellers.id', 'sellers.name', 'sellers.parent_seller_id', 'sellers.created_at', 'environment'])
    .orderBy('sellers.created_at', 'asc')
    .orderBy('sellers.id', 'asc')
    .orderBy('environment', 'desc');
  if (parentSellerId !== undefined) query = query.where('sellers.parent_seller_id', '=', parentSellerId);
  const sellers = new Map<string, SellerListRow>();
  for (const row of await query.execute()) {
    const seller = sellers.get(row.id) ?? { ...row, environments: [] };
    seller.environments.push(row.environment);
    sellers.set(row.id, seller);
  }
  return [...sellers.values()];
}

export async function findSellerRow(db: Executor, sellerId: string) {
  return db.selectFrom('sellers').selectAll().where('id', '=', sellerId).executeTakeFirst();
}

/** Rows deleted, by table. */
export type DeletedRows = Partial<Record<TenantTable, number>>;

/** Which rows of the tenant tables a delete takes: a seller's (both environments) or one tenant's. */
type Owner = { seller_id: string; environment?: Environment };

/**
 * Deletes every row of the seller, in both environments and in every tenant table, then the seller itself, all
 * or nothing (`deleteAll`). Answers the rows deleted by table.
 */
export function deleteSellerRows(db: Db, dialect: Dialect, sellerId: string): Promise<DeletedRows> {
  const seller = sql`delete from "sellers" where "id" = ${sellerId}`;
  return deleteAll(db, dialect, Object.keys(TENANT_TABLES) as TenantTable[], { seller_id: sellerId }, seller);
}

/**
 * Empties one tenant: every row of its `data` tables (entities, events, notifications, emails); its environment
 * (portal, secrets, clock) and keys stay. The invoice-number sequence starts again. All or nothing (`deleteAll`).
 * Answers the rows deleted by table.
 */
export function deleteTenantData(db: Db, dialect: Dialect, tenant: Tenant): Promise<DeletedRows> {
  const restart = sql`update "seller_environments" set "invoice_sequence" = 0
    where "seller_id" = ${tenant.seller_id} and "environment" = ${tenant.environment}`;
  return deleteAll(db, dialect, tenantTablesOf('data'), tenant, restart);
}

/**
 * The owner's rows of `tables` deleted, and `also` (one more write), all or nothing, in as few steps as the engine
 * allows: on PostgreSQL ONE statement (`deleteInOneStatement`: one round trip, no `begin`/`commit`); on SQLite a
 * statement per table in one transaction run synchronously on the connection (db/write-now.ts: a reset was
 * mostly Kysely's per-statement cost), or through Kysely when the connection is inside another transaction.
 */
async function deleteAll(
  db: Db,
  dialect: Dialect,
  tables: readonly TenantTable[],
  owner: Owner,
  also: RawBuilder<unknown>,
): Promise<DeletedRows> {
  if (dialect === 'postgres') return deleteInOneStatement(db, tables, owner, also);
  const where = owner.environment === undefined ? '"seller_id" = ?' : '"seller_id" = ? and "environment" = ?';
  const parameters = owner.environment === undefined ? [owner.seller_id] : [owner.seller_id, owner.environment];
  // @NOTE table names come from TENANT_TABLES, never from input.
  const deletes = tables.map((table) => CompiledQuery.raw(`delete from "${table}" where ${where}`, parameters));
  const statements = [...deletes, also.compile(db)];
  const changed =
    writeAllNow(db, statements) ??
    (await db.transaction().execute(async (trx) => {
      const counts: number[] = [];
      for (const query of statements) counts.push(Number((await trx.executeQuery(query)).numAffectedRows ?? 0n));
      return counts;
    }));
  const deleted: DeletedRows = {};
  tables.forEach((table, i) => (deleted[table] = changed[i] ?? 0));
  return deleted;
}

/**
 * PostgreSQL: the deletes from every table, and `also` (a data-modifying statement), as ONE statement: a
 * data-modifying `WITH`, whose parts all run to completion and commit or fail together, so it needs no
 * transaction around it. One round trip instead of one per table plus `begin` and `commit` (a reset with a
 * statement per table took longer than making a new seller: issue #15). Answers the rows deleted by table.
 */
async function deleteInOneStatement(
  db: Executor,
  tables: readonly TenantTable[],
  owner: Owner,
  also: RawBuilder<unknown>,
): Promise<DeletedRows> {
  const where = sql`"seller_id" = ${owner.seller_id}${
    owner.environment === undefined ? sql`` : sql` and "environment" = ${owner.environment}`
  }`;
  const parts = tables.map(
    (table, i) => sql`${sql.ref(`d${i}`)} as (delete from ${sql.table(table)} where ${where} returning 1)`,
  );
  const counts = tables.map((table, i) => sql`(select count(*) from ${sql.ref(`d${i}`)}) as ${sql.ref(table)}`);
  const query = sql`with ${sql.join(parts)}, "also" as (${also}) select ${sql.join(counts)}`.compile(db);
  // @NOTE as a named prepared statement (planned once per connection): planning sixteen deletes was a third of it.
  const [row] = await readPrepared<Record<TenantTable, bigint | number>>(db, query.sql, query.parameters);
  const deleted: DeletedRows = {};
  for (const table of tables) deleted[table] = Number(row?.[table] ?? 0);
  return deleted;
}

/** The seller's balance currency and fee model columns (migration 202611291609); undefined for an unknown seller. */
export async function findSellerPayouts(db: Executor, sellerId: string) {
  const row = (await db.executeQuery(sellerPayoutsQuery(db, sellerId))).rows[0];
  return row ? { ...row, fee_fixed: BigInt(row.fee_fixed) } : undefined;
}

function payoutsOf(db: Executor, sellerId: string) {
  return db
    .selectFrom('sellers')
    .select(['balance_currency', 'fee_rate', 'fee_fixed', 'fee_fixed_currency'])
    .where('id', '=', sellerId);
}

type PayoutsQuery = ReturnType<ReturnType<typeof payoutsOf>['compile']>;
/** The payouts query's SQL by dialect (adapter). */
const payoutsSql = new WeakMap<object, string>();

/** @NOTE built by Kysely once per dialect: every completed transaction reads it (a subscription's first payment). */
function sellerPayoutsQuery(db: Executor, sellerId: string): PayoutsQuery {
  const adapter = db.getExecutor().adapter;
  let text = payoutsSql.get(adapter);
  if (text === undefined) {
    text = payoutsOf(db, '').compile().sql;
    payoutsSql.set(adapter, text);
  }
  return CompiledQuery.raw(text, [sellerId]) as PayoutsQuery;
}

/** Sets the seller's balance currency and fee model columns. */
export async function updateSellerPayouts(
  db: Executor,
  sellerId: string,
  values: { balance_currency: string; fee_rate: string; fee_fixed: bigint; fee_fixed_currency: string },
): Promise<void> {
  await db.updateTable('sellers').set(values).where('id', '=', sellerId).execute();
}
