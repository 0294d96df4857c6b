// Sellers made through the test helper (#15): a seller of its own per test, filled with a bit of everything, and
// the rows it owns counted table by table (every tenant table, from src/db/tenant-tables.ts).
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Environment, Tenant, TenantTable } from '../../src/db/tables.js';
import { TENANT_TABLES, tenantTablesOf } from '../../src/db/tenant-tables.js';
import type { SellerEntity } from '../../src/modules/test-helpers/sellers.js';
import type { TestApp } from './app.js';
import { aBusiness } from './builders.js';
import { portalRow, subscribe } from './portal.js';

/** `POST /test-helpers/sellers` with the default seller's sandbox key (or `key`); answers the made seller. */
export async function newSeller(
  t: TestApp,
  body: Record<string, unknown> = {},
  key?: string,
): Promise<SellerEntity & { live: SellerEntity['sandbox'] }> {
  const res = await t.request('POST', '/test-helpers/sellers', { body, ...(key ? { key } : {}) });
  assert.equal(res.status, 201, res.text);
  // @NOTE typed with `live` present: tests that asked for none assert it is null.
  return res.body.data;
}

/**
 * Gives the seller's sandbox a bit of everything: a paid subscription (product, price, customer, address,
 * transaction, payment attempt, payment method, events), a business, a portal sign-in email, and a renewal.
 */
export async function fillSandbox(t: TestApp, seller: { id: string; sandbox: { api_key: string } }) {
  const key = seller.sandbox.api_key;
  const subscribed = await subscribe(t, { key });
  await aBusiness(t, subscribed.customer.id, {}, key);
  const { portal_id: cpl } = await portalRow(t, 'sandbox', seller.id);
  const signIn = await t.request('POST', `/sandbox-customer-portal/${cpl}/sign-in`, {
    key: null,
    body: new URLSearchParams({ email: subscribed.customer.email, action: 'overview' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(signIn.status, 200, signIn.text);
  const renewed = await t.request('POST', '/test-helpers/clock/advance', { key, body: { by: 'P1M' } });
  assert.equal(renewed.status, 200, renewed.text);
  return subscribed;
}

/** Rows the seller owns in each tenant table (in `environment` only, when given). */
export async function rowCounts(
  t: TestApp,
  sellerId: string,
  environment?: Environment,
): Promise<Record<TenantTable, number>> {
  const counts = {} as Record<TenantTable, number>;
  for (const table of Object.keys(TENANT_TABLES) as TenantTable[]) {
    let query = t.db
      .selectFrom(table as 'customers')
      .select((eb) => eb.fn.countAll<number | bigint>().as('n'))
      .where('seller_id', '=', sellerId);
    if (environment) query = query.where('environment', '=', environment);
    counts[table] = Number((await query.executeTakeFirstOrThrow()).n);
  }
  return counts;
}

/** The clock's instant and whether it stands still, from a clock answer (which also says how an advance goes). */
export function nowAndFrozen(clock: { now: string; frozen: boolean }): { now: string; frozen: boolean } {
  return { now: clock.now, frozen: clock.frozen };
}

/** A column as the schema describes it: what a made-up row must give. */
interface ColumnInfo {
  name: string;
  type: string;
  required: boolean;
}

async function columnsOf(t: TestApp, table: TenantTable): Promise<ColumnInfo[]> {
  if (t.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; type: string; notnull: bigint; dflt_value: unknown; pk: bigint }>`
      select name, type, "notnull", dflt_value, pk from pragma_table_info(${table})`.execute(t.db);
    return rows.map((c) => ({
      name: c.name,
      type: c.type.toLowerCase(),
      required: (c.notnull > 0n || c.pk > 0n) && c.dflt_value === null,
    }));
  }
  const { rows } = await sql<{ name: string; type: string; nullable: string; dflt: unknown }>`
    select column_name as name, data_type as type, is_nullable as nullable, column_default as dflt
    from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(t.db);
  return rows.map((c) => ({ name: c.name, type: c.type, required: c.nullable === 'NO' && c.dflt === null }));
}

/**
 * Gives every `data` table at least one row of the tenant: tables the API left empty get a made-up row (its
 * required columns only: numbers 0, text `x`, besides the tenant key), so a test of "every table" covers tables added later without
 * knowing how the API fills them. Answers the tables that got one.
 */
export async function aRowInEveryDataTable(t: TestApp, tenant: Tenant): Promise<TenantTable[]> {
  const counts = await rowCounts(t, tenant.seller_id, tenant.environment);
  const filled: TenantTable[] = [];
  for (const table of tenantTablesOf('data')) {
    if (counts[table] > 0) continue;
    const row: Record<string, unknown> = {};
    for (const column of await columnsOf(t, table)) {
      if (column.required) row[column.name] = /int|numeric|real|double/.test(column.type) ? 0 : 'x';
    }
    Object.assign(row, tenant);
    await t.db
      .insertInto(table as 'customers')
      .values(row as never)
      .execute();
    filled.push(table);
  }
  return filled;
}
