// Builders that make entities through the API, with sensible defaults (house style: builders go through the
// public surface, so they make only states a user can reach), and rows for the tests below the API.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CustomerRow, Tenant } from '../../src/db/tables.js';
import type { TestApp } from './app.js';

type Body = Record<string, unknown>;

async function create(t: TestApp, url: string, body: Body, key?: string): Promise<any> {
  const res = await t.request('POST', url, { body, ...(key ? { key } : {}) });
  assert.ok(res.status === 201 || res.status === 200, `POST ${url} → ${res.status}: ${res.text}`);
  return res.body.data;
}

export const MONTHLY = { interval: 'month', frequency: 1 } as const;

export function aProduct(t: TestApp, body: Body = {}, key?: string) {
  return create(t, '/products', { name: 'AeroEdit Pro', tax_category: 'standard', ...body }, key);
}

/** A price (one-time unless `billing_cycle` is given), USD 10.00 excluding tax by default. */
export async function aPrice(t: TestApp, body: Body = {}, key?: string) {
  const productId = (body.product_id as string | undefined) ?? (await aProduct(t, {}, key)).id;
  return create(
    t,
    '/prices',
    {
      description: 'Standard',
      unit_price: { amount: '1000', currency_code: 'USD' },
      tax_mode: 'external',
      ...body,
      product_id: productId,
    },
    key,
  );
}

/** A discount: 10 % off everything, enabled for checkout (Paddle then generates a code) unless told otherwise. */
export function aDiscount(t: TestApp, body: Body = {}, key?: string) {
  return create(t, '/discounts', { description: 'Launch offer', type: 'percentage', amount: '10', ...body }, key);
}

let emails = 0;
export function aCustomer(t: TestApp, body: Body = {}, key?: string) {
  emails += 1;
  return create(
    t,
    '/customers',
    { email: `buyer${emails}-${randomUUID().slice(0, 8)}@example.com`, name: 'Sam Miller', ...body },
    key,
  );
}

export function anAddress(t: TestApp, customerId: string, body: Body = {}, key?: string) {
  return create(
    t,
    `/customers/${customerId}/addresses`,
    {
      country_code: 'GB',
      postal_code: 'SW1A 1AA',
      region: 'Greater London',
      city: 'London',
      first_line: '10 Downing St',
      ...body,
    },
    key,
  );
}

export function aBusiness(t: TestApp, customerId: string, body: Body = {}, key?: string) {
  return create(
    t,
    `/customers/${customerId}/businesses`,
    { name: 'ChatApp Inc.', tax_identifier: 'GB123456789', ...body },
    key,
  );
}

/** A customer with an address in `country` (GB by default), complete enough for manual collection (an invoice). */
export async function aBuyer(t: TestApp, country = 'GB', key?: string) {
  const customer = await aCustomer(t, {}, key);
  const postal: Record<string, string> = { GB: 'SW1A 1AA', US: '10001', DE: '10115', FR: '75001', JP: '100-0001' };
  const region: Record<string, string> = { US: 'NY', DE: 'Berlin', FR: 'Île-de-France', JP: 'Tokyo' };
  const address = await anAddress(
    t,
    customer.id,
    { country_code: country, postal_code: postal[country] ?? '12345', region: region[country] ?? 'Greater London' },
    key,
  );
  return { customer, address };
}

export function aTransaction(t: TestApp, body: Body, key?: string) {
  return create(t, '/transactions', body, key);
}

/**
 * A customer row as the customers repository stores it, for tests below the API (db helpers, transactions):
 * `tenant`'s, active, with an email made from the id. `overrides` replace any column.
 */
export function aCustomerRow(tenant: Tenant, id: string, overrides: Partial<CustomerRow> = {}): CustomerRow {
  return {
    ...tenant,
    id,
    name: null,
    email: `${id}@example.com`,
    email_key: `${id}@example.com`,
    marketing_consent: 0n,
    status: 'active',
    custom_data: null,
    locale: 'en',
    import_meta: null,
    created_at: '2026-11-24T10:00:00.000000Z',
    updated_at: '2026-11-24T10:00:00.000000Z',
    ...overrides,
  };
}

/**
 * A transaction for a $49.00 monthly price bought by a new US customer, paid through the pay test helper with
 * `card` (default 4242…): the paid transaction's entity, whose `subscription_id` names the new subscription.
 */
export async function aPaidMonthlyTransaction(t: TestApp, key?: string, card?: string) {
  const price = await aPrice(t, { billing_cycle: MONTHLY, unit_price: { amount: '4900', currency_code: 'USD' } }, key);
  const { customer, address } = await aBuyer(t, 'US', key);
  const txn = await aTransaction(
    t,
    { items: [{ price_id: price.id, quantity: 1 }], customer_id: customer.id, address_id: address.id },
    key,
  );
  const paid = await t.request('POST', `/test-helpers/transactions/${txn.id}/pay`, {
    body: card ? { card_number: card } : {},
    ...(key ? { key } : {}),
  });
  assert.equal(paid.status, 200, paid.text);
  return paid.body.data;
}
