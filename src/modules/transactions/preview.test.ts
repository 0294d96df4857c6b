import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aBusiness, aPrice, aProduct, MONTHLY } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';

const UNKNOWN_PRICE = 'pri_01h8441jn5pcwrfhwh78jqt8hk';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  const preview = (body: unknown, key?: string) =>
    t().request('POST', '/transactions/preview', { body, ...(key ? { key } : {}) });
  const pricing = (body: unknown, key?: string) =>
    t().request('POST', '/pricing-preview', { body, ...(key ? { key } : {}) });

  /** Rows that a preview must never write. */
  async function written() {
    const count = async (table: 'transactions' | 'events' | 'products' | 'prices') =>
      Number(
        (
          await t()
            .db.selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      transactions: await count('transactions'),
      events: await count('events'),
      products: await count('products'),
      prices: await count('prices'),
    };
  }

  describe('preview a transaction: totals by country', () => {
    it('GB, USD, tax added on top (external): 20 %', async () => {
      const price = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' }, tax_mode: 'external' });
      const before = await written();
      const res = await preview({
        items: [{ price_id: price.id, quantity: 3 }],
        address: { country_code: 'GB', postal_code: 'SW1A 1AA' },
      });
      assertMatchesSpec('preview-transaction-create', res);
      const data = res.body.data;
      assert.equal(data.id, undefined, 'a preview has no id');
      assert.equal(data.status, undefined, 'a preview has no status');
      assert.equal(data.currency_code, 'USD');
      assert.deepEqual(data.address, { country_code: 'GB', postal_code: 'SW1A 1AA' });
      assert.equal(data.customer_ip_address, null);
      assert.equal(data.ignore_trials, false);
      assert.deepEqual(data.available_payment_methods, ['card']);
      assert.deepEqual(data.items, [{ price, quantity: 3, include_in_totals: true, proration: null }]);
      const [line] = data.details.line_items;
      assert.equal(line.id, undefined, 'preview line items have no txnitm_ id');
      assert.equal(line.price_id, price.id);
      assert.equal(line.tax_rate, '0.2');
      assert.deepEqual(line.unit_totals, { subtotal: '1000', discount: '0', tax: '200', total: '1200' });
      assert.deepEqual(line.totals, { subtotal: '3000', discount: '0', tax: '600', total: '3600' });
      assert.equal(line.product.id, price.product_id);
      const totals = data.details.totals;
      assert.deepEqual(
        [
          totals.subtotal,
          totals.discount,
          totals.tax,
          totals.total,
          totals.credit,
          totals.grand_total,
          totals.balance,
          totals.currency_code,
        ],
        ['3000', '0', '600', '3600', '0', '3600', '3600', 'USD'],
      );
      assert.deepEqual(data.details.tax_rates_used, [
        { tax_rate: '0.2', totals: { subtotal: '3000', discount: '0', tax: '600', total: '3600' } },
      ]);
      assert.deepEqual(await written(), before, 'nothing written, no event');
    });

    it('DE, EUR, tax included (internal): 19 % taken out, halves rounded', async () => {
      const a = await aPrice(t(), { unit_price: { amount: '1190', currency_code: 'EUR' }, tax_mode: 'internal' });
      const b = await aPrice(t(), { unit_price: { amount: '999', currency_code: 'EUR' }, tax_mode: 'internal' });
      const res = await preview({
        items: [
          { price_id: a.id, quantity: 2 },
          { price_id: b.id, quantity: 1 },
        ],
        address: { country_code: 'DE' },
      });
      assertMatchesSpec('preview-transaction-create', res);
      const [first, second] = res.body.data.details.line_items;
      assert.equal(res.body.data.currency_code, 'EUR');
      assert.equal(first.tax_rate, '0.19');
      assert.deepEqual(first.unit_totals, { subtotal: '1000', discount: '0', tax: '190', total: '1190' });
      assert.deepEqual(first.totals, { subtotal: '2000', discount: '0', tax: '380', total: '2380' });
      // 999 × 19/119 = 159.50… → 160 tax; 839 net.
      assert.deepEqual(second.totals, { subtotal: '839', discount: '0', tax: '160', total: '999' });
      const totals = res.body.data.details.totals;
      assert.deepEqual(
        [totals.subtotal, totals.tax, totals.total, totals.grand_total],
        ['2839', '540', '3379', '3379'],
      );
    });

    it('JP, JPY (no minor unit) from a country override: 10 %', async () => {
      const price = await aPrice(t(), {
        unit_price: { amount: '1000', currency_code: 'USD' },
        unit_price_overrides: [{ country_codes: ['JP'], unit_price: { amount: '1234', currency_code: 'JPY' } }],
      });
      const res = await preview({ items: [{ price_id: price.id, quantity: 3 }], address: { country_code: 'JP' } });
      assertMatchesSpec('preview-transaction-create', res);
      const data = res.body.data;
      assert.equal(data.currency_code, 'JPY', 'the override in the buyer country sets the currency');
      // 1234 × 0.1 = 123.4 → 123 yen per unit; 3702 × 0.1 = 370.2 → 370 on the line.
      assert.deepEqual(data.details.line_items[0].unit_totals, {
        subtotal: '1234',
        discount: '0',
        tax: '123',
        total: '1357',
      });
      assert.deepEqual(data.details.line_items[0].totals, {
        subtotal: '3702',
        discount: '0',
        tax: '370',
        total: '4072',
      });
      assert.equal(data.details.totals.currency_code, 'JPY');
    });

    it('US: no tax; overrides apply only in their countries and currency', async () => {
      const price = await aPrice(t(), {
        unit_price: { amount: '1000', currency_code: 'USD' },
        unit_price_overrides: [
          { country_codes: ['GB'], unit_price: { amount: '800', currency_code: 'GBP' } },
          { country_codes: ['DE', 'FR'], unit_price: { amount: '900', currency_code: 'EUR' } },
        ],
      });
      const us = await preview({
        items: [{ price_id: price.id, quantity: 1 }],
        address: { country_code: 'US', postal_code: '10001' },
      });
      assertMatchesSpec('preview-transaction-create', us);
      assert.equal(us.body.data.currency_code, 'USD');
      assert.equal(us.body.data.details.line_items[0].tax_rate, '0');
      assert.deepEqual(us.body.data.details.line_items[0].totals, {
        subtotal: '1000',
        discount: '0',
        tax: '0',
        total: '1000',
      });
      const gb = await preview({ items: [{ price_id: price.id, quantity: 1 }], address: { country_code: 'GB' } });
      assert.equal(gb.body.data.currency_code, 'GBP');
      assert.deepEqual(gb.body.data.details.line_items[0].totals, {
        subtotal: '800',
        discount: '0',
        tax: '160',
        total: '960',
      });
      const fr = await preview({ items: [{ price_id: price.id, quantity: 1 }], address: { country_code: 'FR' } });
      assert.deepEqual(fr.body.data.details.line_items[0].totals, {
        subtotal: '900',
        discount: '0',
        tax: '180',
        total: '1080',
      });
      const gbInUsd = await preview({
        items: [{ price_id: price.id, quantity: 1 }],
        address: { country_code: 'GB' },
        currency_code: 'USD',
      });
      assertMatchesSpec('preview-transaction-create', gbInUsd);
      assert.deepEqual(
        gbInUsd.body.data.details.line_items[0].totals,
        { subtotal: '1000', discount: '0', tax: '200', total: '1200' },
        'GB buyer in USD: base price, GB tax',
      );
      const noAmount = await preview({ items: [{ price_id: price.id, quantity: 1 }], currency_code: 'JPY' });
      assertPaddleError(noAmount, 400, 'invalid_field');
      assert.equal(noAmount.body.error.errors[0].field, 'items[0].price_id');
    });

    it('an IP address alone locates nobody: no tax, base price, echoed back', async () => {
      const price = await aPrice(t(), {
        unit_price_overrides: [{ country_codes: ['GB'], unit_price: { amount: '800', currency_code: 'GBP' } }],
      });
      const res = await preview({ items: [{ price_id: price.id, quantity: 1 }], customer_ip_address: '81.2.69.142' });
      assertMatchesSpec('preview-transaction-create', res);
      assert.equal(res.body.data.customer_ip_address, '81.2.69.142');
      assert.equal(res.body.data.address, null);
      assert.equal(res.body.data.currency_code, 'USD');
      assert.equal(res.body.data.details.totals.tax, '0');
      const bad = await preview({ items: [{ price_id: price.id, quantity: 1 }], customer_ip_address: 'not-an-ip' });
      assertPaddleError(bad, 400, 'invalid_field');
      assert.equal(bad.body.error.errors[0].field, 'customer_ip_address');
    });

    it("uses the customer's address (address_id) and its credit-free totals; business checked", async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t(), 'FR');
      const business = await aBusiness(t(), customer.id);
      const res = await preview({
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        business_id: business.id,
      });
      assertMatchesSpec('preview-transaction-create', res);
      const data = res.body.data;
      assert.deepEqual([data.customer_id, data.address_id, data.business_id], [customer.id, address.id, business.id]);
      assert.deepEqual(data.address, { country_code: 'FR', postal_code: '75001' });
      assert.equal(data.details.line_items[0].tax_rate, '0.2');
      const other = await aBuyer(t(), 'DE');
      assertPaddleError(
        await preview({
          items: [{ price_id: price.id, quantity: 1 }],
          customer_id: customer.id,
          address_id: other.address.id,
        }),
        404,
        'not_found',
      );
      const orphan = await preview({ items: [{ price_id: price.id, quantity: 1 }], address_id: address.id });
      assertPaddleError(orphan, 400, 'invalid_field');
      assert.equal(orphan.body.error.errors[0].field, 'address_id');
    });

    it('items left out of the totals still get their line (include_in_totals: false)', async () => {
      const a = await aPrice(t(), { unit_price: { amount: '3000', currency_code: 'USD' } });
      const b = await aPrice(t(), { unit_price: { amount: '19900', currency_code: 'USD' } });
      const res = await preview({
        items: [
          { price_id: a.id, quantity: 2 },
          { price_id: b.id, quantity: 1, include_in_totals: false },
        ],
        address: { country_code: 'GB' },
      });
      assertMatchesSpec('preview-transaction-create', res);
      const data = res.body.data;
      assert.deepEqual(
        data.items.map((item: any) => item.include_in_totals),
        [true, false],
      );
      assert.equal(data.details.line_items.length, 2);
      assert.deepEqual(data.details.line_items[1].totals, {
        subtotal: '19900',
        discount: '0',
        tax: '3980',
        total: '23880',
      });
      assert.deepEqual(
        [data.details.totals.subtotal, data.details.totals.tax, data.details.totals.total],
        ['6000', '1200', '7200'],
      );
      assert.deepEqual(data.details.tax_rates_used, [
        { tax_rate: '0.2', totals: { subtotal: '6000', discount: '0', tax: '1200', total: '7200' } },
      ]);
    });

    it('prices with a trial are charged nothing unless ignore_trials', async () => {
      const trial = await aPrice(t(), {
        billing_cycle: MONTHLY,
        trial_period: { interval: 'day', frequency: 14 },
        unit_price: { amount: '2500', currency_code: 'USD' },
      });
      const oneTime = await aPrice(t(), { unit_price: { amount: '1000', currency_code: 'USD' } });
      const body = {
        items: [
          { price_id: trial.id, quantity: 2 },
          { price_id: oneTime.id, quantity: 1 },
        ],
        address: { country_code: 'GB' },
      };
      const res = await preview(body);
      assertMatchesSpec('preview-transaction-create', res);
      const zero = { subtotal: '0', discount: '0', tax: '0', total: '0' };
      assert.deepEqual(res.body.data.details.line_items[0].unit_totals, zero);
      assert.deepEqual(res.body.data.details.line_items[0].totals, zero);
      assert.equal(res.body.data.details.totals.total, '1200');
      const ignoring = await preview({ ...body, ignore_trials: true });
      assertMatchesSpec('preview-transaction-create', ignoring);
      assert.equal(ignoring.body.data.ignore_trials, true);
      assert.deepEqual(ignoring.body.data.details.line_items[0].totals, {
        subtotal: '5000',
        discount: '0',
        tax: '1000',
        total: '6000',
      });
      assert.equal(ignoring.body.data.details.totals.total, '7200');
    });

    it('previews non-catalog prices and products without creating them', async () => {
      const product = await aProduct(t());
      const before = await written();
      const res = await preview({
        items: [
          {
            price: {
              description: 'One-off setup',
              unit_price: { amount: '5000', currency_code: 'USD' },
              product_id: product.id,
            },
            quantity: 1,
          },
          {
            price: {
              description: 'Bespoke work',
              unit_price: { amount: '2000', currency_code: 'USD' },
              product: { name: 'Consulting', tax_category: 'professional-services' },
            },
            quantity: 2,
          },
        ],
        address: { country_code: 'GB' },
      });
      assertMatchesSpec('preview-transaction-create', res);
      const [a, b] = res.body.data.items;
      assert.deepEqual([a.price.id, a.price.type, a.price.product_id], [null, 'custom', product.id]);
      assert.deepEqual([b.price.id, b.price.type, b.price.product_id], [null, 'custom', null]);
      const [lineA, lineB] = res.body.data.details.line_items;
      assert.equal(lineA.price_id, null);
      assert.equal(lineA.product.id, product.id);
      assert.deepEqual([lineB.product.id, lineB.product.name, lineB.product.type], [null, 'Consulting', 'custom']);
      assert.deepEqual(lineB.totals, { subtotal: '4000', discount: '0', tax: '800', total: '4800' });
      assert.equal(res.body.data.details.totals.total, '10800');
      assert.deepEqual(await written(), before, 'no custom entity, no event');
    });
  });

  describe('preview a transaction: refusals', () => {
    it('validates the request', async () => {
      const price = await aPrice(t());
      const empty = await preview({ items: [] });
      assertPaddleError(empty, 400, 'invalid_field');
      assert.equal(empty.body.error.errors[0].field, 'items');
      const noCountry = await preview({
        items: [{ price_id: price.id, quantity: 1 }],
        address: { postal_code: 'SW1A 1AA' },
      });
      assertPaddleError(noCountry, 400, 'invalid_field');
      assert.equal(noCountry.body.error.errors[0].field, 'address.country_code');
      const badCountry = await preview({
        items: [{ price_id: price.id, quantity: 1 }],
        address: { country_code: 'XX' },
      });
      assertPaddleError(badCountry, 400, 'invalid_field');
      assert.equal(badCountry.body.error.errors[0].field, 'address.country_code');
      const quantity = await preview({ items: [{ price_id: price.id, quantity: 101 }] });
      assertPaddleError(quantity, 400, 'invalid_field');
      assert.equal(quantity.body.error.errors[0].field, 'items[0].quantity');
      const archived = await aPrice(t());
      await t().request('PATCH', `/prices/${archived.id}`, { body: { status: 'archived' } });
      const refused = await preview({ items: [{ price_id: archived.id, quantity: 1 }] });
      assertPaddleError(refused, 400, 'invalid_field');
      assert.equal(refused.body.error.errors[0].field, 'items[0].price_id');
      assertPaddleError(
        await preview({ items: [{ price_id: price.id, quantity: 1 }], currency_code: 'XYZ' }),
        400,
        'invalid_field',
      );
    });

    it('answers 404 for unknown prices, products and customers, 400 transaction_discount_not_found for discounts', async () => {
      const price = await aPrice(t());
      assertPaddleError(await preview({ items: [{ price_id: UNKNOWN_PRICE, quantity: 1 }] }), 404, 'not_found');
      assertPaddleError(
        await preview({
          items: [
            {
              price: {
                description: 'Custom',
                unit_price: { amount: '100', currency_code: 'USD' },
                product_id: 'pro_01h8441jn5pcwrfhwh78jqt8hk',
              },
              quantity: 1,
            },
          ],
        }),
        404,
        'not_found',
      );
      assertPaddleError(
        await preview({ items: [{ price_id: price.id, quantity: 1 }], customer_id: 'ctm_01h8441jn5pcwrfhwh78jqt8hk' }),
        404,
        'not_found',
      );
      const discount = await preview({
        items: [{ price_id: price.id, quantity: 1 }],
        discount_id: 'dsc_01gtgztp8fpchantd5g1wrksa3',
      });
      assertPaddleError(discount, 400, 'transaction_discount_not_found');
    });

    it('needs transaction.read and keeps tenants apart', async () => {
      const price = await aPrice(t());
      const body = { items: [{ price_id: price.id, quantity: 1 }] };
      const reader = await t().createKey('sandbox', ['transaction.read']);
      assertMatchesSpec('preview-transaction-create', await preview(body, reader));
      const writer = await t().createKey('sandbox', ['transaction.write']);
      assertMatchesSpec('preview-transaction-create', await preview(body, writer));
      const catalog = await t().createKey('sandbox', ['price.read', 'product.read']);
      assertPaddleError(await preview(body, catalog), 403, 'forbidden');
      assertPaddleError(await preview(body, t().keys.live), 404, 'not_found');
      const other = await t().createSeller('sel_preview_other');
      assertPaddleError(await preview(body, other.sandbox), 404, 'not_found');
    });
  });

  describe('preview prices', () => {
    it('GB in GBP (override) and US in USD, with formatted totals', async () => {
      const product = await aProduct(t(), { name: 'AeroEdit Pro' });
      const price = await aPrice(t(), {
        product_id: product.id,
        billing_cycle: MONTHLY,
        unit_price: { amount: '3000', currency_code: 'USD' },
        unit_price_overrides: [{ country_codes: ['GB'], unit_price: { amount: '2500', currency_code: 'GBP' } }],
      });
      const before = await written();
      const gb = await pricing({ items: [{ price_id: price.id, quantity: 20 }], address: { country_code: 'GB' } });
      assertMatchesSpec('preview-prices', gb);
      const data = gb.body.data;
      assert.equal(data.currency_code, 'GBP');
      assert.deepEqual(data.address, { country_code: 'GB', postal_code: null });
      assert.deepEqual(
        [data.customer_id, data.address_id, data.business_id, data.discount_id, data.customer_ip_address],
        [null, null, null, null, null],
      );
      assert.deepEqual(data.available_payment_methods, ['card']);
      const [line] = data.details.line_items;
      assert.deepEqual(line.price, price);
      assert.equal(line.product.id, product.id);
      assert.equal(line.quantity, 20);
      assert.equal(line.tax_rate, '0.2');
      assert.deepEqual(line.unit_totals, { subtotal: '2500', discount: '0', tax: '500', total: '3000' });
      assert.deepEqual(line.formatted_unit_totals, {
        subtotal: '£25.00',
        discount: '£0.00',
        tax: '£5.00',
        total: '£30.00',
      });
      assert.deepEqual(line.totals, { subtotal: '50000', discount: '0', tax: '10000', total: '60000' });
      assert.deepEqual(line.formatted_totals, {
        subtotal: '£500.00',
        discount: '£0.00',
        tax: '£100.00',
        total: '£600.00',
      });
      assert.deepEqual(line.discounts, []);
      const us = await pricing({
        items: [{ price_id: price.id, quantity: 20 }],
        address: { country_code: 'US', postal_code: '20149' },
      });
      assertMatchesSpec('preview-prices', us);
      const usLine = us.body.data.details.line_items[0];
      assert.equal(us.body.data.currency_code, 'USD');
      assert.deepEqual(usLine.totals, { subtotal: '60000', discount: '0', tax: '0', total: '60000' });
      assert.deepEqual(usLine.formatted_totals, {
        subtotal: '$600.00',
        discount: '$0.00',
        tax: '$0.00',
        total: '$600.00',
      });
      assert.deepEqual(await written(), before, 'nothing written, no event');
    });

    it('JP in JPY, DE internal in EUR, and no location', async () => {
      const yen = await aPrice(t(), {
        unit_price: { amount: '1000', currency_code: 'USD' },
        unit_price_overrides: [{ country_codes: ['JP'], unit_price: { amount: '1500', currency_code: 'JPY' } }],
      });
      const euro = await aPrice(t(), { unit_price: { amount: '1190', currency_code: 'EUR' }, tax_mode: 'internal' });
      const jp = await pricing({ items: [{ price_id: yen.id, quantity: 3 }], address: { country_code: 'JP' } });
      assertMatchesSpec('preview-prices', jp);
      assert.deepEqual(jp.body.data.details.line_items[0].totals, {
        subtotal: '4500',
        discount: '0',
        tax: '450',
        total: '4950',
      });
      assert.deepEqual(jp.body.data.details.line_items[0].formatted_totals, {
        subtotal: '¥4,500',
        discount: '¥0',
        tax: '¥450',
        total: '¥4,950',
      });
      const de = await pricing({
        items: [{ price_id: euro.id, quantity: 1 }],
        address: { country_code: 'DE', postal_code: '10115' },
      });
      assertMatchesSpec('preview-prices', de);
      assert.deepEqual(de.body.data.details.line_items[0].unit_totals, {
        subtotal: '1000',
        discount: '0',
        tax: '190',
        total: '1190',
      });
      assert.deepEqual(de.body.data.details.line_items[0].formatted_unit_totals, {
        subtotal: '€10.00',
        discount: '€0.00',
        tax: '€1.90',
        total: '€11.90',
      });
      const nowhere = await pricing({
        items: [{ price_id: yen.id, quantity: 1 }],
        customer_ip_address: '34.232.58.13',
      });
      assertMatchesSpec('preview-prices', nowhere);
      assert.equal(nowhere.body.data.customer_ip_address, '34.232.58.13');
      assert.equal(nowhere.body.data.address, null);
      assert.deepEqual(nowhere.body.data.details.line_items[0].formatted_totals, {
        subtotal: '$10.00',
        discount: '$0.00',
        tax: '$0.00',
        total: '$10.00',
      });
    });

    it('uses a customer address; shows trial prices at full price', async () => {
      const price = await aPrice(t(), { billing_cycle: MONTHLY, trial_period: { interval: 'day', frequency: 7 } });
      const { customer, address } = await aBuyer(t(), 'GB');
      const res = await pricing({
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      });
      assertMatchesSpec('preview-prices', res);
      assert.deepEqual(res.body.data.address, { country_code: 'GB', postal_code: 'SW1A 1AA' });
      assert.deepEqual(res.body.data.details.line_items[0].totals, {
        subtotal: '1000',
        discount: '0',
        tax: '200',
        total: '1200',
      });
    });

    it('refuses what it cannot price', async () => {
      const price = await aPrice(t());
      const missing = await pricing({ items: [{ quantity: 1 }] });
      assertPaddleError(missing, 400, 'invalid_field');
      assert.equal(missing.body.error.errors[0].field, 'items[0].price_id');
      assertPaddleError(await pricing({ items: [] }), 400, 'invalid_field');
      assertPaddleError(await pricing({ items: [{ price_id: price.id, quantity: 0 }] }), 400, 'invalid_field');
      assertPaddleError(await pricing({ items: [{ price_id: UNKNOWN_PRICE, quantity: 1 }] }), 404, 'not_found');
      assertPaddleError(
        await pricing({ items: [{ price_id: price.id, quantity: 1 }], discount_id: 'dsc_01gtgztp8fpchantd5g1wrksa3' }),
        400,
        'transaction_discount_not_found',
      );
      assertPaddleError(
        await pricing({ items: [{ price_id: price.id, quantity: 1 }], address: { country_code: 'XX' } }),
        400,
        'invalid_field',
      );
      const catalog = await t().createKey('sandbox', ['price.read']);
      assertPaddleError(await pricing({ items: [{ price_id: price.id, quantity: 1 }] }, catalog), 403, 'forbidden');
      const reader = await t().createKey('sandbox', ['transaction.read']);
      assertMatchesSpec('preview-prices', await pricing({ items: [{ price_id: price.id, quantity: 1 }] }, reader));
      assertPaddleError(
        await pricing({ items: [{ price_id: price.id, quantity: 1 }] }, t().keys.live),
        404,
        'not_found',
      );
    });
  });

  describe('official Node SDK', () => {
    it('previews a transaction and prices', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const product = await aProduct(t());
      const price = await aPrice(t(), {
        product_id: product.id,
        billing_cycle: MONTHLY,
        unit_price: { amount: '1000', currency_code: 'USD' },
      });
      const txn = await paddle.transactions.preview({
        items: [
          { priceId: price.id, quantity: 2 },
          {
            price: { description: 'Setup', unitPrice: { amount: '500', currencyCode: 'USD' }, productId: product.id },
            quantity: 1,
          },
        ],
        address: { countryCode: 'GB' },
      });
      assert.equal(txn.currencyCode, 'USD');
      assert.equal(txn.details?.totals?.total, '3000');
      assert.equal(txn.items.length, 2);
      const prices = await paddle.pricingPreview.preview({
        items: [{ priceId: price.id, quantity: 1 }],
        address: { countryCode: 'US' },
      });
      assert.equal(prices.currencyCode, 'USD');
      assert.equal(prices.details.lineItems[0]?.formattedTotals.total, '$10.00');
      assert.equal(prices.details.lineItems[0]?.price.id, price.id);
    });
  });
});
