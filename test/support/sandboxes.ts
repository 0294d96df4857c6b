// Sellers made through the test helper (#15): a seller of its own per test, filled with a bit of everything, and
// the rows it owns counted table by table (every tenant table, from src/db/tenant-tables.ts).
import assert from 'node:assert/strict';
import type { Environment, TenantTable } from '../../src/db/tables.js';
import { TENANT_TABLES } from '../../src/db/tenant-tables.js';
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
