import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp, type TestApp } from '../../../test/support/app.js';
import { aBuyer, aCustomer, aPrice, aTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { type Ctx, withTransaction } from '../../context.js';
import type { Tenant } from '../../db/tables.js';
import { OffsetClock } from '../../kernel/clock.js';
import { DEFAULT_SELLER_ID } from '../sellers/service.js';
import { moveCredit, type BalanceMovement } from './service.js';

/** A service-level context for the default seller, as a request with a key of `environment` would get. */
function ctxOf(t: TestApp, environment: Tenant['environment'] = 'sandbox'): Ctx {
  return {
    db: t.db,
    dialect: t.dialect,
    clock: new OffsetClock(t.clock, 0n),
    tenant: { seller_id: DEFAULT_SELLER_ID, environment },
    config: t.config,
    wiring: t.wiring,
  };
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function move(
    customerId: string,
    currency: string,
    movement: BalanceMovement,
    environment: Tenant['environment'] = 'sandbox',
  ) {
    const ctx = ctxOf(t(), environment);
    await withTransaction(ctx, (ctx) => moveCredit(ctx, customerId, currency, movement));
  }

  describe('GET /customers/{id}/credit-balances', () => {
    it('is empty for a new customer, then shows available, reserved and used per currency', async () => {
      const customer = await aCustomer(t());
      const empty = await t().request('GET', `/customers/${customer.id}/credit-balances`);
      assertMatchesSpec('list-credit-balances', empty);
      assert.deepEqual(empty.body.data, []);

      await move(customer.id, 'USD', { kind: 'add', amount: 1000n });
      await move(customer.id, 'USD', { kind: 'reserve', amount: 300n });
      await move(customer.id, 'USD', { kind: 'use', amount: 200n, fromReserved: true });
      await move(customer.id, 'USD', { kind: 'use', amount: 50n, fromReserved: false });
      await move(customer.id, 'EUR', { kind: 'add', amount: 4200n });
      const res = await t().request('GET', `/customers/${customer.id}/credit-balances`);
      assertMatchesSpec('list-credit-balances', res);
      assert.deepEqual(res.body.data, [
        { customer_id: customer.id, currency_code: 'EUR', balance: { available: '4200', reserved: '0', used: '0' } },
        { customer_id: customer.id, currency_code: 'USD', balance: { available: '650', reserved: '100', used: '250' } },
      ]);

      const usd = await t().request('GET', `/customers/${customer.id}/credit-balances?currency_code=USD`);
      assertMatchesSpec('list-credit-balances', usd);
      assert.deepEqual(
        usd.body.data.map((b: any) => b.currency_code),
        ['USD'],
      );
      const both = await t().request('GET', `/customers/${customer.id}/credit-balances?currency_code=USD,EUR`);
      assert.deepEqual(
        both.body.data.map((b: any) => b.currency_code),
        ['EUR', 'USD'],
      );
      const none = await t().request('GET', `/customers/${customer.id}/credit-balances?currency_code=GBP`);
      assertMatchesSpec('list-credit-balances', none);
      assert.deepEqual(none.body.data, []);

      // A release gives reserved credit back; the balance never goes below zero.
      await move(customer.id, 'USD', { kind: 'release', amount: 100n });
      assert.deepEqual(
        (await t().request('GET', `/customers/${customer.id}/credit-balances?currency_code=USD`)).body.data[0].balance,
        {
          available: '750',
          reserved: '0',
          used: '250',
        },
      );
      await assert.rejects(move(customer.id, 'USD', { kind: 'reserve', amount: 751n }), /negative/);
      assert.equal(
        (await t().request('GET', `/customers/${customer.id}/credit-balances?currency_code=USD`)).body.data[0].balance
          .available,
        '750',
      );
    });

    it('is spent by a transaction the customer pays', async () => {
      const { customer, address } = await aBuyer(t(), 'US');
      await move(customer.id, 'USD', { kind: 'add', amount: 500n });
      const price = await aPrice(t(), { unit_price: { amount: '2500', currency_code: 'USD' } });
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      assert.equal(txn.details.totals.credit, '500');
      assert.equal(txn.details.totals.grand_total, '2000');
      const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      assert.equal(paid.body.data.status, 'completed', paid.text);
      assert.equal(paid.body.data.payments[0].amount, '2000');
      const res = await t().request('GET', `/customers/${customer.id}/credit-balances`);
      assertMatchesSpec('list-credit-balances', res);
      assert.deepEqual(res.body.data[0].balance, { available: '0', reserved: '0', used: '500' });
    });

    it('prices a transaction again when the credit it counted on was spent by another payment', async () => {
      const { customer, address } = await aBuyer(t(), 'US');
      await move(customer.id, 'USD', { kind: 'add', amount: 500n });
      const price = await aPrice(t(), { unit_price: { amount: '2500', currency_code: 'USD' } });
      const body = { items: [{ price_id: price.id, quantity: 1 }], customer_id: customer.id, address_id: address.id };
      const first = await aTransaction(t(), body);
      const second = await aTransaction(t(), body);
      assert.deepEqual(
        [first.details.totals.credit, second.details.totals.credit],
        ['500', '500'],
        'unbilled transactions do not reserve credit',
      );
      const paidFirst = await t().request('POST', `/test-helpers/transactions/${first.id}/pay`, { body: {} });
      assert.equal(paidFirst.body.data.payments[0].amount, '2000');
      const paidSecond = await t().request('POST', `/test-helpers/transactions/${second.id}/pay`, { body: {} });
      assert.equal(paidSecond.status, 200, paidSecond.text);
      assert.equal(paidSecond.body.data.status, 'completed');
      assert.equal(paidSecond.body.data.details.totals.credit, '0');
      assert.equal(paidSecond.body.data.details.totals.grand_total, '2500');
      assert.deepEqual(
        paidSecond.body.data.payments.map((p: any) => [p.status, p.amount]),
        [['captured', '2500']],
      );
      const balance = (await t().request('GET', `/customers/${customer.id}/credit-balances`)).body.data[0].balance;
      assert.deepEqual(balance, { available: '0', reserved: '0', used: '500' });
    });

    it('reserves credit for a billed invoice, then uses it when paid, or gives it back when canceled', async () => {
      const { customer, address } = await aBuyer(t(), 'US');
      await move(customer.id, 'USD', { kind: 'add', amount: 800n });
      const price = await aPrice(t(), { unit_price: { amount: '500', currency_code: 'USD' } });
      const invoice = (body: Record<string, unknown> = {}) =>
        aTransaction(t(), {
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: customer.id,
          address_id: address.id,
          collection_mode: 'manual',
          billing_details: { enable_checkout: true, payment_terms: { interval: 'day', frequency: 7 } },
          ...body,
        });
      const balance = async () =>
        (await t().request('GET', `/customers/${customer.id}/credit-balances?currency_code=USD`)).body.data[0].balance;

      const first = await invoice({ status: 'billed' });
      assert.equal(first.details.totals.credit, '500');
      assert.deepEqual(await balance(), { available: '300', reserved: '500', used: '0' });
      const canceled = await t().request('PATCH', `/transactions/${first.id}`, { body: { status: 'canceled' } });
      assert.equal(canceled.body.data.status, 'canceled', canceled.text);
      assert.deepEqual(await balance(), { available: '800', reserved: '0', used: '0' });

      const second = await invoice();
      await t().request('PATCH', `/transactions/${second.id}`, { body: { status: 'billed' } });
      assert.deepEqual(await balance(), { available: '300', reserved: '500', used: '0' });
      // Nothing is left to charge, so the pay helper's card is not needed; the reserved credit is used.
      const paid = await t().request('POST', `/test-helpers/transactions/${second.id}/pay`, { body: {} });
      assert.equal(paid.body.data.status, 'completed', paid.text);
      assert.deepEqual(await balance(), { available: '300', reserved: '0', used: '500' });
    });

    it('answers 404 for unknown customers, 403 without customer.read, and keeps tenants apart', async () => {
      const customer = await aCustomer(t());
      await move(customer.id, 'USD', { kind: 'add', amount: 100n });
      assertPaddleError(
        await t().request('GET', '/customers/ctm_01h8441jn5pcwrfhwh78jqt8hk/credit-balances'),
        404,
        'not_found',
      );
      const noCustomerRead = await t().createKey('sandbox', ['transaction.read']);
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/credit-balances`, { key: noCustomerRead }),
        403,
        'forbidden',
      );
      const readOnly = await t().createKey('sandbox', ['customer.read']);
      assertMatchesSpec(
        'list-credit-balances',
        await t().request('GET', `/customers/${customer.id}/credit-balances`, { key: readOnly }),
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/credit-balances`, { key: t().keys.live }),
        404,
        'not_found',
      );
      const other = await t().createSeller(`sel_credit_${dialect}`);
      assertPaddleError(
        await t().request('GET', `/customers/${customer.id}/credit-balances`, { key: other.sandbox }),
        404,
        'not_found',
      );
      // The same customer id in the live environment has its own (empty) balance.
      const liveCustomer = await aCustomer(t(), {}, t().keys.live);
      await move(liveCustomer.id, 'USD', { kind: 'add', amount: 7n }, 'live');
      const live = await t().request('GET', `/customers/${liveCustomer.id}/credit-balances`, { key: t().keys.live });
      assert.deepEqual(live.body.data[0].balance, { available: '7', reserved: '0', used: '0' });
      assert.deepEqual(
        (await t().request('GET', `/customers/${customer.id}/credit-balances`)).body.data[0].balance.available,
        '100',
      );
    });
  });

  describe('official Node SDK', () => {
    it('reads credit balances', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const customer = await aCustomer(t());
      await move(customer.id, 'GBP', { kind: 'add', amount: 1234n });
      const balances = await paddle.customers.getCreditBalance(customer.id);
      assert.deepEqual(
        balances.map((b) => [b.customerId, b.currencyCode, b.balance?.available, b.balance?.reserved, b.balance?.used]),
        [[customer.id, 'GBP', '1234', '0', '0']],
      );
      assert.deepEqual(await paddle.customers.getCreditBalance(customer.id, { currencyCode: ['EUR'] }), []);
    });
  });
});
