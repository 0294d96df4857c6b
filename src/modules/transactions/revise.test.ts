import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aBusiness, aPrice, aTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const MANUAL = {
  enable_checkout: false,
  purchase_order_number: 'PO-7',
  payment_terms: { interval: 'day', frequency: 14 },
};

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  const revise = (id: string, body: unknown, key?: string) =>
    t().request('POST', `/transactions/${id}/revise`, { body, ...(key ? { key } : {}) });

  async function eventsSince(sequence: number): Promise<Array<{ type: string; data: any }>> {
    const events = await recordedEvents(t());
    return events.slice(sequence).map((event) => ({ type: event.type, data: event.data }));
  }

  async function eventCount(): Promise<number> {
    return (await recordedEvents(t())).length;
  }

  /** A billed invoice (manual collection) for a GB buyer, with a business unless `withBusiness` is false. */
  async function billed(withBusiness = true) {
    const price = await aPrice(t());
    const { customer, address } = await aBuyer(t(), 'GB');
    const business = withBusiness
      ? await aBusiness(t(), customer.id, { name: 'ChatApp Inc.', tax_identifier: 'GB123456789' })
      : null;
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
      ...(business ? { business_id: business.id } : {}),
      collection_mode: 'manual',
      billing_details: MANUAL,
      status: 'billed',
    });
    assert.equal(txn.status, 'billed');
    return { txn, customer, address, business };
  }

  describe('revise a billed or completed transaction', () => {
    it('updates the customer, address lines and business, once, with events in one go', async () => {
      const { txn, customer, address, business } = await billed();
      const before = await eventCount();
      const res = await revise(txn.id, {
        customer: { name: 'Sam Miller Jr.' },
        address: { first_line: '3811 Ditmars Blvd', second_line: 'Floor 2', city: 'Astoria', region: 'Greater London' },
        business: { name: 'ChatApp Ltd', tax_identifier: 'GB987654321' },
      });
      assertMatchesSpec('revise-transaction', res);
      const revised = res.body.data;
      assert.equal(revised.id, txn.id);
      assert.equal(revised.status, 'billed');
      assert.ok(revised.revised_at, 'revised_at is set');
      assert.equal(revised.updated_at, revised.revised_at);
      assert.equal(txn.revised_at, null);
      assert.deepEqual(revised.details, txn.details, 'what was billed does not change');
      assert.equal(revised.invoice_number, txn.invoice_number);
      const events = await eventsSince(before);
      assert.deepEqual(
        events.map((e) => e.type),
        ['customer.updated', 'address.updated', 'business.updated', 'transaction.revised'],
      );
      assert.equal(events[3]?.data.revised_at, revised.revised_at);
      const got = await t().request('GET', `/transactions/${txn.id}?include=customer,address,business`);
      assertMatchesSpec('get-transaction', got);
      assert.equal(got.body.data.customer.name, 'Sam Miller Jr.');
      assert.equal(got.body.data.customer.email, customer.email, 'only the name is revised');
      assert.deepEqual(
        [
          got.body.data.address.first_line,
          got.body.data.address.second_line,
          got.body.data.address.city,
          got.body.data.address.region,
        ],
        ['3811 Ditmars Blvd', 'Floor 2', 'Astoria', 'Greater London'],
      );
      assert.deepEqual(
        [got.body.data.address.country_code, got.body.data.address.postal_code],
        [address.country_code, address.postal_code],
      );
      assert.deepEqual(
        [got.body.data.business.name, got.body.data.business.tax_identifier],
        ['ChatApp Ltd', 'GB987654321'],
      );
      assert.equal(got.body.data.business.id, business?.id);
      const again = await revise(txn.id, { customer: { name: 'Someone else' } });
      assertPaddleError(again, 400, 'transaction_revised_limit_reached');
      assert.equal((await t().request('GET', `/customers/${customer.id}`)).body.data.name, 'Sam Miller Jr.');
    });

    it('revises a completed transaction (paid at checkout), changing only what is sent', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t(), 'DE');
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      assert.equal(paid.body.data.status, 'completed', paid.text);
      const before = await eventCount();
      const res = await revise(txn.id, { address: { city: 'Berlin' } });
      assertMatchesSpec('revise-transaction', res);
      assert.equal(res.body.data.status, 'completed');
      assert.deepEqual(
        (await eventsSince(before)).map((e) => e.type),
        ['address.updated', 'transaction.revised'],
      );
      const stored = (await t().request('GET', `/customers/${customer.id}/addresses/${address.id}`)).body.data;
      assert.deepEqual([stored.city, stored.first_line, stored.country_code], ['Berlin', address.first_line, 'DE']);
    });

    it('adds a business to a transaction that had none (a tax number after checkout)', async () => {
      const { txn, customer } = await billed(false);
      const nameless = await revise(txn.id, { business: { tax_identifier: 'GB123456789' } });
      assertPaddleError(nameless, 400, 'invalid_field');
      assert.equal(nameless.body.error.errors[0].field, 'business.name');
      const before = await eventCount();
      const res = await revise(txn.id, { business: { name: 'Miller Consulting', tax_identifier: 'GB123456789' } });
      assertMatchesSpec('revise-transaction', res);
      const businessId = res.body.data.business_id;
      assert.match(businessId, /^biz_[a-z\d]{26}$/);
      const events = await eventsSince(before);
      assert.deepEqual(
        events.map((e) => e.type),
        ['business.created', 'transaction.revised'],
      );
      const business = (await t().request('GET', `/customers/${customer.id}/businesses/${businessId}`)).body.data;
      assert.deepEqual([business.name, business.tax_identifier], ['Miller Consulting', 'GB123456789']);
    });
  });

  describe('refusals', () => {
    it('only billed or completed transactions', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t());
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      const ready = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      assert.equal(ready.status, 'ready');
      assertPaddleError(
        await revise(draft.id, { customer: { name: 'X' } }),
        400,
        'transaction_invalid_status_to_revise',
      );
      assertPaddleError(
        await revise(ready.id, { customer: { name: 'X' } }),
        400,
        'transaction_invalid_status_to_revise',
      );
      const { txn } = await billed();
      await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'canceled' } });
      assertPaddleError(await revise(txn.id, { customer: { name: 'X' } }), 400, 'transaction_invalid_status_to_revise');
      assertPaddleError(await revise('txn_01h8441jn5pcwrfhwh78jqt8hk', { customer: { name: 'X' } }), 404, 'not_found');
      assert.equal((await t().request('GET', `/customers/${customer.id}`)).body.data.name, customer.name);
    });

    it('an empty revision, the country and unknown fields', async () => {
      const { txn } = await billed();
      assertPaddleError(await revise(txn.id, {}), 400, 'transaction_nothing_to_revise');
      assertPaddleError(await revise(txn.id, { customer: {}, address: {} }), 400, 'transaction_nothing_to_revise');
      const country = await revise(txn.id, { address: { first_line: '1 Main St', country_code: 'DE' } });
      assertPaddleError(country, 400, 'invalid_field');
      assert.equal(country.body.error.errors[0].field, 'address.country_code');
      const postal = await revise(txn.id, { address: { postal_code: '10115' } });
      assertPaddleError(postal, 400, 'invalid_field');
      assert.equal(postal.body.error.errors[0].field, 'address.postal_code');
      const unknown = await revise(txn.id, { customer: { name: 'X' }, email: 'x@example.com' });
      assertPaddleError(unknown, 400, 'invalid_field');
      assert.equal(unknown.body.error.errors[0].field, 'email');
      const tooLong = await revise(txn.id, { address: { city: 'x'.repeat(201) } });
      assertPaddleError(tooLong, 400, 'invalid_field');
      assert.equal(
        (await t().request('GET', `/transactions/${txn.id}`)).body.data.revised_at,
        null,
        'refusals do not count as the one revision',
      );
    });

    it('a tax number can be replaced but not removed, and a refusal changes nothing', async () => {
      const { txn, customer } = await billed();
      const before = await eventCount();
      const removed = await revise(txn.id, { customer: { name: 'Changed Name' }, business: { tax_identifier: '' } });
      assertPaddleError(removed, 400, 'transaction_cannot_be_revised_with_invalid_tax_identifier');
      assert.equal(await eventCount(), before, 'no event from the half that ran first');
      assert.equal(
        (await t().request('GET', `/customers/${customer.id}`)).body.data.name,
        customer.name,
        'the customer update was rolled back',
      );
      assert.equal((await t().request('GET', `/transactions/${txn.id}`)).body.data.revised_at, null);
      assertMatchesSpec('revise-transaction', await revise(txn.id, { business: { tax_identifier: 'GB000000000' } }));
    });

    it('needs transaction.write and keeps tenants apart', async () => {
      const { txn } = await billed();
      const reader = await t().createKey('sandbox', [
        'transaction.read',
        'customer.write',
        'address.write',
        'business.write',
      ]);
      assertPaddleError(await revise(txn.id, { customer: { name: 'X' } }, reader), 403, 'forbidden');
      assertPaddleError(await revise(txn.id, { customer: { name: 'X' } }, t().keys.live), 404, 'not_found');
      const other = await t().createSeller('sel_revise_other');
      assertPaddleError(await revise(txn.id, { customer: { name: 'X' } }, other.sandbox), 404, 'not_found');
      const writer = await t().createKey('sandbox', ['transaction.write']);
      assertMatchesSpec('revise-transaction', await revise(txn.id, { customer: { name: 'Allowed' } }, writer));
    });
  });

  describe('official Node SDK', () => {
    it('revises a transaction', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const { txn, customer } = await billed();
      const revised = await paddle.transactions.revise(txn.id, {
        customer: { name: 'Via SDK' },
        address: { firstLine: '1 SDK Way' },
      });
      assert.equal(revised.id, txn.id);
      assert.ok(revised.revisedAt);
      const got = await paddle.transactions.get(txn.id, { include: ['customer', 'address'] });
      assert.equal(got.customer?.name, 'Via SDK');
      assert.equal(got.address?.firstLine, '1 SDK Way');
      assert.equal(got.customer?.id, customer.id);
    });
  });
});
