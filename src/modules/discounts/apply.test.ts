// Discounts applied where Paddle applies them: transactions (create, update, include=discount), transaction
// previews and pricing previews; every refusal with the smallest request that triggers it, leaving nothing changed;
// times_used counted once per completed transaction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aDiscount, aPrice, aTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';
import { assertRefusedWithoutChange } from '../../../test/support/refusals.js';

const four = (totals: { subtotal: string; discount: string; tax: string; total: string }) => [
  totals.subtotal,
  totals.discount,
  totals.tax,
  totals.total,
];

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  /** A GB buyer (20 % VAT) and a £25.00 price excluding tax. */
  async function gbSale(priceBody: Record<string, unknown> = {}) {
    const price = await aPrice(t(), { unit_price: { amount: '2500', currency_code: 'GBP' }, ...priceBody });
    const { customer, address } = await aBuyer(t(), 'GB');
    return { price, customer, address };
  }

  describe('on transactions', () => {
    it('applies a percentage discount to create: line and transaction totals, tax after the discount', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t(), { amount: '10' });
      const created = await t().request('POST', '/transactions', {
        body: {
          items: [{ price_id: price.id, quantity: 3 }],
          customer_id: customer.id,
          address_id: address.id,
          discount_id: discount.id,
        },
      });
      assertMatchesSpec('create-transaction', created);
      const data = created.body.data;
      assert.equal(data.discount_id, discount.id);
      // 3 × 2500 = 7500; 10 % = 750; (7500 − 750) × 20 % = 1350; total 8100
      assert.deepEqual(four(data.details.line_items[0].totals), ['7500', '750', '1350', '8100']);
      assert.deepEqual(four(data.details.line_items[0].unit_totals), ['2500', '250', '450', '2700']);
      assert.deepEqual(four(data.details.totals), ['7500', '750', '1350', '8100']);
      assert.equal(data.details.totals.grand_total, '8100');
      assert.deepEqual(four(data.details.tax_rates_used[0].totals), ['7500', '750', '1350', '8100']);

      const got = await t().request('GET', `/transactions/${data.id}?include=discount`);
      assertMatchesSpec('get-transaction', got);
      assert.deepEqual(got.body.data.discount, discount);
      const listed = await t().request('GET', `/transactions?id=${data.id}&include=discount`);
      assertMatchesSpec('list-transactions', listed);
      assert.deepEqual(listed.body.data[0].discount, discount);
      const reader = await t().createKey('sandbox', ['transaction.read']);
      assertPaddleError(
        await t().request('GET', `/transactions/${data.id}?include=discount`, { key: reader }),
        403,
        'forbidden',
      );
    });

    it('adds, changes and removes the discount on update (flat split, never below zero)', async () => {
      const { price, customer, address } = await gbSale();
      const other = await aPrice(t(), { unit_price: { amount: '7500', currency_code: 'GBP' } });
      const txn = await aTransaction(t(), {
        items: [
          { price_id: price.id, quantity: 1 },
          { price_id: other.id, quantity: 1 },
        ],
        customer_id: customer.id,
        address_id: address.id,
      });
      const flat = await aDiscount(t(), { type: 'flat', amount: '1000', currency_code: 'GBP' });
      const updated = await t().request('PATCH', `/transactions/${txn.id}`, { body: { discount_id: flat.id } });
      assertMatchesSpec('update-transaction', updated);
      // £10.00 over 2500 + 7500 in proportion: 250 + 750; tax (2250 × 0.2, 6750 × 0.2)
      assert.deepEqual(
        updated.body.data.details.line_items.map((line: { totals: never }) => four(line.totals)),
        [
          ['2500', '250', '450', '2700'],
          ['7500', '750', '1350', '8100'],
        ],
      );
      const huge = await aDiscount(t(), { type: 'flat', amount: '99999', currency_code: 'GBP' });
      const capped = await t().request('PATCH', `/transactions/${txn.id}`, { body: { discount_id: huge.id } });
      assert.deepEqual(four(capped.body.data.details.totals), ['10000', '10000', '0', '0']);
      assert.equal(capped.body.data.details.totals.grand_total, '0');
      const removed = await t().request('PATCH', `/transactions/${txn.id}`, { body: { discount_id: null } });
      assert.equal(removed.body.data.discount_id, null);
      assert.deepEqual(four(removed.body.data.details.totals), ['10000', '0', '2000', '12000']);
    });

    it('limits the discount to restrict_to and multiplies flat_per_seat by quantity', async () => {
      const { price, customer, address } = await gbSale();
      const other = await aPrice(t(), { unit_price: { amount: '7500', currency_code: 'GBP' } });
      const perSeat = await aDiscount(t(), {
        type: 'flat_per_seat',
        amount: '500',
        currency_code: 'GBP',
        restrict_to: [price.product_id],
      });
      const txn = await aTransaction(t(), {
        items: [
          { price_id: price.id, quantity: 4 },
          { price_id: other.id, quantity: 1 },
        ],
        customer_id: customer.id,
        address_id: address.id,
        discount_id: perSeat.id,
      });
      assert.deepEqual(
        txn.details.line_items.map((line: { totals: never }) => four(line.totals)),
        [
          ['10000', '2000', '1600', '9600'],
          ['7500', '0', '1500', '9000'],
        ],
      );
    });

    it('counts one use when a transaction with the discount completes, and refuses it once used up', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t(), { usage_limit: 1 });
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        discount_id: discount.id,
      });
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.times_used, 0, 'not yet');
      const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      assert.equal(paid.status, 200, paid.text);
      const after = (await t().request('GET', `/discounts/${discount.id}`)).body.data;
      assert.equal(after.times_used, 1);
      const updates = await recordedEvents(t(), { type: 'discount.updated', entityId: discount.id });
      assert.deepEqual(
        updates.map((event) => event.data.times_used),
        [1],
      );
      const refused = await t().request('POST', '/transactions', {
        body: { items: [{ price_id: price.id, quantity: 1 }], discount_id: discount.id },
      });
      assertPaddleError(refused, 400, 'discount_usage_limit_exceeded');
      assert.equal(refused.body.error.detail, 'Discount usage limit has been exceeded');
      const lowered = await t().request('PATCH', `/discounts/${discount.id}`, { body: { usage_limit: 1 } });
      assert.equal(lowered.status, 200, 'a limit equal to times_used is allowed');
    });

    it('refuses to pay a transaction whose discount others used up since, charging and writing nothing', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t(), { usage_limit: 1 });
      const body = {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        discount_id: discount.id,
      };
      // Both take the discount while a use is left; the first one paid uses it up.
      const first = await aTransaction(t(), body);
      const second = await aTransaction(t(), body);
      const pay = (id: string) => t().request('POST', `/test-helpers/transactions/${id}/pay`, { body: {} });
      assert.equal((await pay(first.id)).status, 200);
      const refused = await assertRefusedWithoutChange(t(), {
        send: () => pay(second.id),
        status: 400,
        code: 'discount_usage_limit_exceeded',
        reads: [`/transactions/${second.id}`, `/discounts/${discount.id}`, `/customers/${customer.id}/payment-methods`],
      });
      assert.equal(refused.body.error.detail, 'Discount usage limit has been exceeded');
      const still = (await t().request('GET', `/transactions/${second.id}`)).body.data;
      assert.deepEqual([still.status, still.payments], ['ready', []]);
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.times_used, 1);
      // Raised, the limit lets it be paid: the use is counted then.
      await t().request('PATCH', `/discounts/${discount.id}`, { body: { usage_limit: 2 } });
      assert.equal((await pay(second.id)).status, 200);
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.times_used, 2);
    });

    it('lets as many payments as uses are left complete when they race; the others are refused', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t(), { usage_limit: 2 });
      const transactions = [];
      for (let index = 0; index < 6; index += 1) {
        transactions.push(
          await aTransaction(t(), {
            items: [{ price_id: price.id, quantity: 1 }],
            customer_id: customer.id,
            address_id: address.id,
            discount_id: discount.id,
          }),
        );
      }
      const answers = await Promise.all(
        transactions.map((txn) => t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} })),
      );
      assert.deepEqual(answers.map((res) => res.status).sort(), [200, 200, 400, 400, 400, 400]);
      for (const res of answers.filter((answer) => answer.status === 400))
        assertPaddleError(res, 400, 'discount_usage_limit_exceeded');
      const statuses = [];
      for (const txn of transactions)
        statuses.push((await t().request('GET', `/transactions/${txn.id}`)).body.data.status);
      assert.deepEqual(statuses.sort(), ['completed', 'completed', 'ready', 'ready', 'ready', 'ready']);
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.times_used, 2);
      const updates = await recordedEvents(t(), { type: 'discount.updated', entityId: discount.id });
      assert.deepEqual(
        updates.map((event) => event.data.times_used),
        [1, 2],
        'one discount.updated per use counted',
      );
    });

    it('counts an invoice issued with the discount when it is paid, past the limit (it is paid as issued)', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t(), { usage_limit: 1 });
      const body = {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        discount_id: discount.id,
      };
      const issued = await aTransaction(t(), body);
      const billed = await t().request('PATCH', `/transactions/${issued.id}`, { body: { status: 'billed' } });
      assert.equal(billed.status, 200, billed.text);
      const other = await aTransaction(t(), body);
      assert.equal((await t().request('POST', `/test-helpers/transactions/${other.id}/pay`, { body: {} })).status, 200);
      const paid = await t().request('POST', `/test-helpers/transactions/${issued.id}/pay`, { body: {} });
      assert.equal(paid.status, 200, paid.text);
      assert.equal(paid.body.data.details.totals.discount, issued.details.totals.discount);
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.times_used, 2);
    });

    it('refuses usage_limit below times_used', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t());
      for (let i = 0; i < 2; i++) {
        const txn = await aTransaction(t(), {
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: customer.id,
          address_id: address.id,
          discount_id: discount.id,
        });
        await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
      }
      const refused = await t().request('PATCH', `/discounts/${discount.id}`, { body: { usage_limit: 1 } });
      assertPaddleError(refused, 400, 'discount_usage_limit_less_than_times_used');
      assert.equal(
        refused.body.error.detail,
        'Usage limit is less than times already used (Times Used: 2, Usage Limit: 1)',
      );
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.usage_limit, null);
    });

    it('refuses each unusable discount with the smallest request, creating and changing nothing', async () => {
      const { price } = await gbSale();
      const items = [{ price_id: price.id, quantity: 1 }];
      const txn = await aTransaction(t(), { items });
      const before = (await t().request('GET', `/transactions/${txn.id}`)).body.data;
      const createdBefore = (await recordedEvents(t(), { type: 'transaction.created' })).length;
      const expired = await aDiscount(t(), { expires_at: '2020-01-01T00:00:00Z' });
      const archived = await aDiscount(t());
      await t().request('PATCH', `/discounts/${archived.id}`, { body: { status: 'archived' } });
      const dollars = await aDiscount(t(), { type: 'flat', amount: '100', currency_code: 'USD' });
      const elsewhere = await aPrice(t(), { unit_price: { amount: '100', currency_code: 'GBP' } });
      const restricted = await aDiscount(t(), { restrict_to: [elsewhere.id] });
      const cases: Array<[string, number, string, string]> = [
        [
          'dsc_01gtgztp8fpchantd5g1wrksa3',
          400,
          'transaction_discount_not_found',
          'Cannot find provided discount code/id',
        ],
        [expired.id, 400, 'discount_expired', 'Discount has expired'],
        [archived.id, 400, 'entity_archived', `Discount ${archived.id} is archived and cannot be modified.`],
        [
          dollars.id,
          400,
          'transaction_invalid_discount_currency',
          'Flat discounts must be in the same currency as the transaction. Discount currency: USD, Transaction currency: GBP',
        ],
        [restricted.id, 400, 'transaction_discount_not_eligible', 'Discount is not eligible for the provided items'],
      ];
      for (const [id, status, code, detail] of cases) {
        const create = await t().request('POST', '/transactions', { body: { items, discount_id: id } });
        assertPaddleError(create, status, code);
        assert.equal(create.body.error.detail, detail);
        const update = await t().request('PATCH', `/transactions/${txn.id}`, { body: { discount_id: id } });
        assertPaddleError(update, status, code);
        const preview = await t().request('POST', '/transactions/preview', { body: { items, discount_id: id } });
        assertPaddleError(preview, status, code);
        const pricing = await t().request('POST', '/pricing-preview', { body: { items, discount_id: id } });
        assertPaddleError(pricing, status, code);
      }
      assert.deepEqual((await t().request('GET', `/transactions/${txn.id}`)).body.data, before);
      assert.equal((await recordedEvents(t(), { type: 'transaction.created' })).length, createdBefore);
      assert.equal((await recordedEvents(t(), { type: 'transaction.updated', entityId: txn.id })).length, 0);
    });

    it('keeps a discount already on a transaction when it expires later', async () => {
      const { price, customer, address } = await gbSale();
      const discount = await aDiscount(t());
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        discount_id: discount.id,
      });
      await t().request('PATCH', `/discounts/${discount.id}`, { body: { expires_at: '2020-01-01T00:00:00Z' } });
      const more = await t().request('PATCH', `/transactions/${txn.id}`, {
        body: { items: [{ price_id: price.id, quantity: 2 }] },
      });
      assert.equal(more.status, 200, more.text);
      assert.deepEqual(four(more.body.data.details.totals), ['5000', '500', '900', '5400']);
    });
  });

  describe('on previews', () => {
    it('discounts a transaction preview and a pricing preview (with the line discounts Paddle lists)', async () => {
      const { price } = await gbSale();
      const discount = await aDiscount(t(), { amount: '20' });
      const body = {
        items: [{ price_id: price.id, quantity: 2 }],
        address: { country_code: 'GB' },
        discount_id: discount.id,
      };
      const preview = await t().request('POST', '/transactions/preview', { body });
      assertMatchesSpec('preview-transaction-create', preview);
      assert.equal(preview.body.data.discount_id, discount.id);
      // 5000 − 20 % = 4000, + 800 tax
      assert.deepEqual(four(preview.body.data.details.totals), ['5000', '1000', '800', '4800']);
      const pricing = await t().request('POST', '/pricing-preview', { body });
      assertMatchesSpec('preview-prices', pricing);
      assert.equal(pricing.body.data.discount_id, discount.id);
      const line = pricing.body.data.details.line_items[0];
      assert.deepEqual(four(line.totals), ['5000', '1000', '800', '4800']);
      assert.equal(line.formatted_totals.discount, '£10.00');
      assert.deepEqual(line.discounts, [{ discount, total: '1000', formatted_total: '£10.00' }]);
      const none = await t().request('POST', '/pricing-preview', {
        body: { items: [{ price_id: price.id, quantity: 1 }], address: { country_code: 'GB' } },
      });
      assert.deepEqual(none.body.data.details.line_items[0].discounts, []);
      assert.equal(
        (await t().request('GET', `/discounts/${discount.id}`)).body.data.times_used,
        0,
        'previews use nothing',
      );
    });
  });
});
