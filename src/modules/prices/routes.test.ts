import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((entity) => entity.id);
const fields = (res: { body: { error: { errors: Array<{ field: string }> } } }) =>
  res.body.error.errors.map((e) => e.field).sort();
const MONTHLY = { interval: 'month', frequency: 1 };

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function product(body: Record<string, unknown> = {}, key?: string): Promise<any> {
    const res = await t().request('POST', '/products', {
      body: { name: 'Plan', tax_category: 'saas', ...body },
      ...(key ? { key } : {}),
    });
    assert.equal(res.status, 201, res.text);
    return res.body.data;
  }

  function priceBody(productId: string, body: Record<string, unknown> = {}) {
    return {
      product_id: productId,
      description: 'Monthly',
      unit_price: { amount: '1000', currency_code: 'USD' },
      ...body,
    };
  }

  async function price(productId: string, body: Record<string, unknown> = {}, key?: string): Promise<any> {
    const res = await t().request('POST', '/prices', { body: priceBody(productId, body), ...(key ? { key } : {}) });
    assert.equal(res.status, 201, res.text);
    return res.body.data;
  }

  async function eventsOf(type: string, id: string) {
    return (await recordedEvents(t(), { type, entityId: id })).map((event) => event.data);
  }

  async function priceRows(productId: string) {
    return t().db.selectFrom('prices').selectAll().where('product_id', '=', productId).execute();
  }

  describe('create, get, update', () => {
    it('creates a price with Paddle defaults and records price.created', async () => {
      const prod = await product();
      const created = await t().request('POST', '/prices', { body: priceBody(prod.id) });
      assertMatchesSpec('create-price', created);
      const data = created.body.data;
      assert.match(data.id, /^pri_[a-z\d]{26}$/);
      const { id: _id, created_at, updated_at, ...rest } = data;
      assert.deepEqual(rest, {
        product_id: prod.id,
        description: 'Monthly',
        type: 'standard',
        name: null,
        billing_cycle: null,
        trial_period: null,
        tax_mode: 'account_setting',
        unit_price: { amount: '1000', currency_code: 'USD' },
        unit_price_overrides: [],
        quantity: { minimum: 1, maximum: 100 },
        status: 'active',
        custom_data: null,
        import_meta: null,
      });
      assert.equal(created_at, updated_at);
      assert.deepEqual(await eventsOf('price.created', data.id), [data]);

      const fetched = await t().request('GET', `/prices/${data.id}`);
      assertMatchesSpec('get-price', fetched);
      assert.deepEqual(fetched.body.data, data);
    });

    it('keeps every field it is given', async () => {
      const prod = await product();
      const created = await t().request('POST', '/prices', {
        body: priceBody(prod.id, {
          name: 'Pro monthly',
          type: 'custom',
          billing_cycle: { interval: 'month', frequency: 3 },
          trial_period: { interval: 'day', frequency: 14, requires_payment_method: false },
          tax_mode: 'internal',
          unit_price: { amount: '2499', currency_code: 'EUR' },
          unit_price_overrides: [
            { country_codes: ['GB', 'IE'], unit_price: { amount: '1999', currency_code: 'GBP' } },
            { country_codes: ['JP'], unit_price: { amount: '3000', currency_code: 'JPY' } },
          ],
          quantity: { minimum: 2, maximum: 50 },
          custom_data: { tier: 'pro' },
        }),
      });
      assertMatchesSpec('create-price', created);
      const data = created.body.data;
      assert.equal(data.name, 'Pro monthly');
      assert.equal(data.type, 'custom');
      assert.deepEqual(data.billing_cycle, { interval: 'month', frequency: 3 });
      assert.deepEqual(data.trial_period, {
        interval: 'day',
        frequency: 14,
        requires_payment_method: false,
        unit_price: null,
        unit_price_overrides: [],
      });
      assert.equal(data.tax_mode, 'internal');
      assert.deepEqual(data.unit_price, { amount: '2499', currency_code: 'EUR' });
      assert.deepEqual(data.unit_price_overrides, [
        { country_codes: ['GB', 'IE'], unit_price: { amount: '1999', currency_code: 'GBP' } },
        { country_codes: ['JP'], unit_price: { amount: '3000', currency_code: 'JPY' } },
      ]);
      assert.deepEqual(data.quantity, { minimum: 2, maximum: 50 });
      assert.deepEqual(data.custom_data, { tier: 'pro' });
      assert.deepEqual((await t().request('GET', `/prices/${data.id}`)).body.data, data);
    });

    it('stores money as an exact bigint of minor units, beyond float precision', async () => {
      const prod = await product();
      const big = await price(prod.id, { unit_price: { amount: '9007199254740993', currency_code: 'USD' } });
      assert.equal(big.unit_price.amount, '9007199254740993');
      const [row] = await t().db.selectFrom('prices').select('unit_price_amount').where('id', '=', big.id).execute();
      assert.equal(typeof row!.unit_price_amount, 'bigint');
      assert.equal(row!.unit_price_amount, 9007199254740993n);
      assert.equal((await t().request('GET', `/prices/${big.id}`)).body.data.unit_price.amount, '9007199254740993');
      const free = await price(prod.id, { unit_price: { amount: '0', currency_code: 'USD' } });
      assert.equal(free.unit_price.amount, '0');
      const padded = await price(prod.id, { unit_price: { amount: '000150', currency_code: 'USD' } });
      assert.equal(padded.unit_price.amount, '150');
    });

    it('updates given fields only, clears with null, and records price.updated', async () => {
      const prod = await product();
      const created = await price(prod.id, {
        name: 'Monthly',
        billing_cycle: MONTHLY,
        trial_period: { interval: 'day', frequency: 7 },
        custom_data: { a: 1 },
      });
      const updated = await t().request('PATCH', `/prices/${created.id}`, {
        body: {
          description: 'Monthly (2025)',
          name: null,
          trial_period: null,
          unit_price: { amount: '1200', currency_code: 'USD' },
          unit_price_overrides: [{ country_codes: ['DE'], unit_price: { amount: '1100', currency_code: 'EUR' } }],
          quantity: { minimum: 1, maximum: 1 },
          tax_mode: 'external',
        },
      });
      assertMatchesSpec('update-price', updated);
      const data = updated.body.data;
      assert.equal(data.description, 'Monthly (2025)');
      assert.equal(data.name, null);
      assert.equal(data.trial_period, null);
      assert.deepEqual(data.billing_cycle, MONTHLY);
      assert.deepEqual(data.unit_price, { amount: '1200', currency_code: 'USD' });
      assert.deepEqual(data.unit_price_overrides, [
        { country_codes: ['DE'], unit_price: { amount: '1100', currency_code: 'EUR' } },
      ]);
      assert.deepEqual(data.quantity, { minimum: 1, maximum: 1 });
      assert.equal(data.tax_mode, 'external');
      assert.deepEqual(data.custom_data, { a: 1 });
      assert.equal(data.product_id, prod.id);
      assert.equal(data.created_at, created.created_at);
      assert.ok(data.updated_at > created.updated_at);
      assert.deepEqual(await eventsOf('price.updated', created.id), [data]);

      const oneTime = await t().request('PATCH', `/prices/${created.id}`, {
        body: { billing_cycle: null, unit_price_overrides: [], custom_data: null },
      });
      assertMatchesSpec('update-price', oneTime);
      assert.equal(oneTime.body.data.billing_cycle, null);
      assert.deepEqual(oneTime.body.data.unit_price_overrides, []);
      assert.equal(oneTime.body.data.custom_data, null);
    });

    it('archives with PATCH status, then refuses changes until it is made active again', async () => {
      const prod = await product();
      const created = await price(prod.id);
      const archived = await t().request('PATCH', `/prices/${created.id}`, { body: { status: 'archived' } });
      assertMatchesSpec('update-price', archived);
      assert.equal(archived.body.data.status, 'archived');
      const refused = await t().request('PATCH', `/prices/${created.id}`, { body: { description: 'Changed' } });
      assertPaddleError(refused, 400, 'entity_archived');
      assert.equal(refused.body.error.detail, `Price ${created.id} is archived and cannot be modified.`);
      const restored = await t().request('PATCH', `/prices/${created.id}`, { body: { status: 'active' } });
      assert.equal(restored.body.data.status, 'active');
      assert.deepEqual(
        (await eventsOf('price.updated', created.id)).map((event) => event.status),
        ['archived', 'active'],
      );
    });

    it('refuses a price for an archived product, writing nothing', async () => {
      const prod = await product();
      await t().request('PATCH', `/products/${prod.id}`, { body: { status: 'archived' } });
      const res = await t().request('POST', '/prices', { body: priceBody(prod.id) });
      assertPaddleError(res, 400, 'entity_archived');
      assert.equal(res.body.error.detail, `Product ${prod.id} is archived and cannot be modified.`);
      assert.deepEqual(await priceRows(prod.id), []);
    });
  });

  describe('rules', () => {
    it('needs a billing cycle for a trial, on create and after an update', async () => {
      const prod = await product();
      const oneTimeTrial = await t().request('POST', '/prices', {
        body: priceBody(prod.id, { trial_period: { interval: 'day', frequency: 7 } }),
      });
      assertPaddleError(oneTimeTrial, 400, 'price_trial_period_requires_billing_cycle');
      assert.equal(
        oneTimeTrial.body.error.documentation_url,
        'https://developer.paddle.com/errors/prices/price_trial_period_requires_billing_cycle',
      );
      assert.deepEqual(await priceRows(prod.id), []);

      const recurring = await price(prod.id, {
        billing_cycle: MONTHLY,
        trial_period: { interval: 'day', frequency: 7 },
      });
      assertPaddleError(
        await t().request('PATCH', `/prices/${recurring.id}`, { body: { billing_cycle: null } }),
        400,
        'price_trial_period_requires_billing_cycle',
      );
      const oneTime = await price(prod.id);
      assertPaddleError(
        await t().request('PATCH', `/prices/${oneTime.id}`, {
          body: { trial_period: { interval: 'week', frequency: 1 } },
        }),
        400,
        'price_trial_period_requires_billing_cycle',
      );
      assert.deepEqual((await t().request('GET', `/prices/${recurring.id}`)).body.data.billing_cycle, MONTHLY);
      assert.equal((await eventsOf('price.updated', recurring.id)).length, 0);
    });

    it('accepts amounts only as strings of whole minor units', async () => {
      const prod = await product();
      for (const amount of ['10.50', '-1', 'abc', '1e3', '', ' 100', '9223372036854775808']) {
        const res = await t().request('POST', '/prices', {
          body: priceBody(prod.id, { unit_price: { amount, currency_code: 'USD' } }),
        });
        assertPaddleError(res, 400, 'invalid_field');
        assert.deepEqual(fields(res), ['unit_price.amount'], amount);
      }
      const numeric = await t().request('POST', '/prices', {
        body: priceBody(prod.id, { unit_price: { amount: 1000, currency_code: 'USD' } }),
      });
      assertPaddleError(numeric, 400, 'invalid_field');
      assert.deepEqual(fields(numeric), ['unit_price.amount']);
      const override = await t().request('POST', '/prices', {
        body: priceBody(prod.id, {
          unit_price_overrides: [{ country_codes: ['US'], unit_price: { amount: '9.99', currency_code: 'USD' } }],
        }),
      });
      assertPaddleError(override, 400, 'invalid_field');
      assert.deepEqual(fields(override), ['unit_price_overrides[0].unit_price.amount']);
      const created = await price(prod.id);
      const update = await t().request('PATCH', `/prices/${created.id}`, {
        body: { unit_price: { amount: '12.00', currency_code: 'USD' } },
      });
      assertPaddleError(update, 400, 'invalid_field');
      assert.equal((await t().request('GET', `/prices/${created.id}`)).body.data.unit_price.amount, '1000');
      assert.equal((await priceRows(prod.id)).length, 1);
    });

    it('keeps quantity minimum at or below maximum', async () => {
      const prod = await product();
      const res = await t().request('POST', '/prices', {
        body: priceBody(prod.id, { quantity: { minimum: 10, maximum: 5 } }),
      });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(fields(res), ['quantity.minimum']);
      const created = await price(prod.id, { quantity: { minimum: 5, maximum: 5 } });
      assert.deepEqual(created.quantity, { minimum: 5, maximum: 5 });
      assertPaddleError(
        await t().request('PATCH', `/prices/${created.id}`, { body: { quantity: { minimum: 6, maximum: 1 } } }),
        400,
        'invalid_field',
      );
      const partial = await t().request('POST', '/prices', { body: priceBody(prod.id, { quantity: { minimum: 0 } }) });
      assertPaddleError(partial, 400, 'invalid_field');
      assert.deepEqual(fields(partial), ['quantity.maximum', 'quantity.minimum']);
    });

    it('refuses a country in two unit price overrides', async () => {
      const prod = await product();
      const res = await t().request('POST', '/prices', {
        body: priceBody(prod.id, {
          unit_price_overrides: [
            { country_codes: ['US', 'CA'], unit_price: { amount: '900', currency_code: 'USD' } },
            { country_codes: ['CA'], unit_price: { amount: '1200', currency_code: 'CAD' } },
          ],
        }),
      });
      assertPaddleError(res, 400, 'price_duplicate_currency_override_for_country');
      assert.match(res.body.error.detail, /CA/);
    });
  });

  describe('validation and not found', () => {
    it('requires description, product_id and unit_price, and checks each field against the spec', async () => {
      const empty = await t().request('POST', '/prices', { body: {} });
      assertPaddleError(empty, 400, 'invalid_field');
      assert.deepEqual(fields(empty), ['description', 'product_id', 'unit_price']);
      const bad = await t().request('POST', '/prices', {
        body: {
          product_id: 'prod_123',
          description: 'x',
          unit_price: { amount: '100', currency_code: 'XYZ' },
          tax_mode: 'included',
          billing_cycle: { interval: 'fortnight', frequency: 0 },
          status: 'active',
        },
      });
      assertPaddleError(bad, 400, 'invalid_field');
      assert.deepEqual(fields(bad), [
        'billing_cycle.frequency',
        'billing_cycle.interval',
        'description',
        'product_id',
        'status',
        'tax_mode',
        'unit_price.currency_code',
      ]);
      const prod = await product();
      const created = await price(prod.id);
      const update = await t().request('PATCH', `/prices/${created.id}`, {
        body: { product_id: prod.id, status: 'deleted' },
      });
      assertPaddleError(update, 400, 'invalid_field');
      assert.deepEqual(fields(update), ['product_id', 'status']);
    });

    it('answers 404 for an unknown price or product', async () => {
      const missing = await t().request('POST', '/prices', { body: priceBody('pro_01h8441jn5pcwrfhwh78jqt8hk') });
      assertPaddleError(missing, 404, 'not_found');
      assert.equal(missing.body.error.detail, 'Entity pro_01h8441jn5pcwrfhwh78jqt8hk not found');
      assertPaddleError(await t().request('GET', '/prices/pri_01h8441jn5pcwrfhwh78jqt8hk'), 404, 'not_found');
      assertPaddleError(
        await t().request('PATCH', '/prices/pri_01h8441jn5pcwrfhwh78jqt8hk', { body: { description: 'xx' } }),
        404,
        'not_found',
      );
    });
  });

  describe('list', () => {
    it('lists newest first with cursor pagination and a full next URL', async () => {
      const prod = await product();
      const made = [await price(prod.id), await price(prod.id), await price(prod.id)];
      const first = await t().request('GET', `/prices?product_id=${prod.id}&per_page=2`);
      assertMatchesSpec('list-prices', first);
      assert.deepEqual(ids(first), [made[2].id, made[1].id]);
      assert.equal(first.body.meta.pagination.has_more, true);
      assert.equal(first.body.meta.pagination.estimated_total, 3);
      const next = new URL(first.body.meta.pagination.next);
      assert.equal(next.origin, t().baseUrl);
      assert.equal(next.searchParams.get('after'), made[1].id);
      const second = await t().request('GET', `${next.pathname}${next.search}`);
      assertMatchesSpec('list-prices', second);
      assert.deepEqual(ids(second), [made[0].id]);
      assert.equal(second.body.meta.pagination.has_more, false);
      const ascending = await t().request('GET', `/prices?product_id=${prod.id}&order_by=id[ASC]`);
      assert.deepEqual(
        ids(ascending),
        made.map((p) => p.id),
      );
    });

    it('filters by product_id, id, status (active by default), type (standard by default) and recurring', async () => {
      const a = await product();
      const b = await product();
      const aOneTime = await price(a.id);
      const aRecurring = await price(a.id, { billing_cycle: MONTHLY });
      const aArchived = await price(a.id, { billing_cycle: MONTHLY });
      await t().request('PATCH', `/prices/${aArchived.id}`, { body: { status: 'archived' } });
      const aCustom = await price(a.id, { type: 'custom' });
      const bPrice = await price(b.id);

      const byProduct = await t().request('GET', `/prices?product_id=${a.id}`);
      assertMatchesSpec('list-prices', byProduct);
      assert.deepEqual(ids(byProduct), [aRecurring.id, aOneTime.id]);
      assert.deepEqual(ids(await t().request('GET', `/prices?product_id=${a.id},${b.id}`)), [
        bPrice.id,
        aRecurring.id,
        aOneTime.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/prices?product_id=${a.id}&status=archived`)), [aArchived.id]);
      assert.deepEqual(ids(await t().request('GET', `/prices?product_id=${a.id}&status=archived,active`)), [
        aArchived.id,
        aRecurring.id,
        aOneTime.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/prices?product_id=${a.id}&type=custom`)), [aCustom.id]);
      assert.deepEqual(ids(await t().request('GET', `/prices?product_id=${a.id}&recurring=true`)), [aRecurring.id]);
      assert.deepEqual(ids(await t().request('GET', `/prices?product_id=${a.id}&recurring=false`)), [aOneTime.id]);
      assert.deepEqual(ids(await t().request('GET', `/prices?id=${bPrice.id},${aOneTime.id},${aArchived.id}`)), [
        bPrice.id,
        aOneTime.id,
      ]);
      assertPaddleError(await t().request('GET', '/prices?recurring=yes'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/prices?status=gone'), 400, 'invalid_field');
    });

    it('orders by product_id and tax_mode', async () => {
      const a = await product();
      const b = await product();
      const bPrice = await price(b.id, { tax_mode: 'internal' });
      const aPrice = await price(a.id, { tax_mode: 'external' });
      const filter = `product_id=${a.id},${b.id}`;
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=product_id[ASC]`)), [
        aPrice.id,
        bPrice.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=product_id[DESC]`)), [
        bPrice.id,
        aPrice.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=tax_mode[ASC]`)), [
        aPrice.id,
        bPrice.id,
      ]);
      assertPaddleError(await t().request('GET', '/prices?order_by=description[ASC]'), 400, 'invalid_field');
    });

    it('orders by amount, quantity and billing cycle (numbers as numbers), paging on (field, id)', async () => {
      const prod = await product();
      const ten = await price(prod.id, {
        unit_price: { amount: '1000', currency_code: 'USD' },
        billing_cycle: { interval: 'year', frequency: 1 },
      });
      const nine = await price(prod.id, {
        unit_price: { amount: '900', currency_code: 'USD' },
        billing_cycle: { interval: 'month', frequency: 12 },
      });
      const hundred = await price(prod.id, {
        unit_price: { amount: '10000', currency_code: 'USD' },
        quantity: { minimum: 5, maximum: 10 },
      });
      const filter = `product_id=${prod.id}`;
      const first = await t().request('GET', `/prices?${filter}&order_by=unit_price.amount[ASC]&per_page=2`);
      assertMatchesSpec('list-prices', first);
      assert.deepEqual(ids(first), [nine.id, ten.id]);
      const next = new URL(first.body.meta.pagination.next);
      assert.deepEqual(ids(await t().request('GET', `${next.pathname}${next.search}`)), [hundred.id]);
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=unit_price.amount[DESC]`)), [
        hundred.id,
        ten.id,
        nine.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=quantity.minimum[DESC]`)).slice(0, 1), [
        hundred.id,
      ]);
      // one-time prices have no cycle and sort first ascending
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=billing_cycle.frequency[ASC]`)), [
        hundred.id,
        ten.id,
        nine.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/prices?${filter}&order_by=billing_cycle.interval[DESC]`)), [
        ten.id,
        nine.id,
        hundred.id,
      ]);
    });
  });

  describe('include=product', () => {
    it('adds the product on get and list', async () => {
      const prod = await product({ name: 'Included product' });
      const created = await price(prod.id);
      const got = await t().request('GET', `/prices/${created.id}?include=product`);
      assertMatchesSpec('get-price', got);
      assert.deepEqual(got.body.data.product, (await t().request('GET', `/products/${prod.id}`)).body.data);
      const listed = await t().request('GET', `/prices?product_id=${prod.id}&include=product`);
      assertMatchesSpec('list-prices', listed);
      assert.equal(listed.body.data[0].product.name, 'Included product');
      assert.equal('product' in (await t().request('GET', `/prices/${created.id}`)).body.data, false);
      assertPaddleError(await t().request('GET', `/prices/${created.id}?include=prices`), 400, 'invalid_field');
    });

    it('needs product.read for include=product', async () => {
      const prod = await product();
      const created = await price(prod.id);
      const priceOnly = await t().createKey('sandbox', ['price.read']);
      assert.equal((await t().request('GET', `/prices/${created.id}`, { key: priceOnly })).status, 200);
      assertPaddleError(
        await t().request('GET', `/prices/${created.id}?include=product`, { key: priceOnly }),
        403,
        'forbidden',
      );
      assertPaddleError(await t().request('GET', '/prices?include=product', { key: priceOnly }), 403, 'forbidden');
      const both = await t().createKey('sandbox', ['price.read', 'product.read']);
      assert.equal(
        (await t().request('GET', `/prices?include=product&product_id=${prod.id}`, { key: both })).status,
        200,
      );
    });
  });

  describe('auth and isolation', () => {
    it('answers 403 without a key or without the permission', async () => {
      const prod = await product();
      assertPaddleError(await t().request('GET', '/prices', { key: null }), 403, 'authentication_missing');
      const readOnly = await t().createKey('sandbox', ['price.read']);
      assert.equal((await t().request('GET', '/prices', { key: readOnly })).status, 200);
      assertPaddleError(
        await t().request('POST', '/prices', { key: readOnly, body: priceBody(prod.id) }),
        403,
        'forbidden',
      );
      const created = await price(prod.id);
      assertPaddleError(
        await t().request('PATCH', `/prices/${created.id}`, { key: readOnly, body: { description: 'xx' } }),
        403,
        'forbidden',
      );
      const productKey = await t().createKey('sandbox', ['product.write']);
      assertPaddleError(await t().request('GET', `/prices/${created.id}`, { key: productKey }), 403, 'forbidden');
      const writer = await t().createKey('sandbox', ['price.write']);
      assert.equal((await t().request('POST', '/prices', { key: writer, body: priceBody(prod.id) })).status, 201);
    });

    it('keeps sellers and environments apart', async () => {
      const prod = await product();
      const created = await price(prod.id);
      const other = await t().createSeller(`sel_prices_${dialect}`);
      for (const key of [t().keys.live, other.sandbox]) {
        assertPaddleError(await t().request('GET', `/prices/${created.id}`, { key }), 404, 'not_found');
        assertPaddleError(
          await t().request('PATCH', `/prices/${created.id}`, { key, body: { description: 'xx' } }),
          404,
          'not_found',
        );
        // another tenant cannot hang a price on this product either
        assertPaddleError(await t().request('POST', '/prices', { key, body: priceBody(prod.id) }), 404, 'not_found');
        assert.deepEqual((await t().request('GET', `/prices?product_id=${prod.id}`, { key })).body.data, []);
      }
      assert.deepEqual((await t().request('GET', '/prices', { key: other.sandbox })).body.data, []);
      const liveProduct = await product({}, t().keys.live);
      const livePrice = await price(liveProduct.id, {}, t().keys.live);
      assert.deepEqual(ids(await t().request('GET', '/prices', { key: t().keys.live })), [livePrice.id]);
      assertPaddleError(await t().request('GET', `/prices/${livePrice.id}`), 404, 'not_found');
      assert.equal((await priceRows(prod.id)).length, 1);
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets with its product, updates, archives and pages through prices', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const prod = await paddle.products.create({ name: 'SDK catalog', taxCategory: 'saas' });
      const created = await paddle.prices.create({
        productId: prod.id,
        description: 'SDK monthly',
        name: 'Monthly',
        unitPrice: { amount: '1500', currencyCode: 'USD' },
        billingCycle: { interval: 'month', frequency: 1 },
        trialPeriod: { interval: 'day', frequency: 14 },
        unitPriceOverrides: [{ countryCodes: ['GB'], unitPrice: { amount: '1200', currencyCode: 'GBP' } }],
        quantity: { minimum: 1, maximum: 10 },
      });
      assert.match(created.id, /^pri_/);
      assert.equal(created.unitPrice.amount, '1500');
      assert.equal(created.billingCycle?.interval, 'month');
      assert.equal(created.trialPeriod?.frequency, 14);
      assert.equal(created.unitPriceOverrides[0]?.unitPrice.currencyCode, 'GBP');
      assert.equal(created.quantity.maximum, 10);
      const fetched = await paddle.prices.get(created.id, { include: ['product'] });
      assert.equal(fetched.product?.id, prod.id);
      assert.equal(fetched.product?.name, 'SDK catalog');
      const updated = await paddle.prices.update(created.id, {
        description: 'SDK monthly v2',
        unitPrice: { amount: '1600', currencyCode: 'USD' },
      });
      assert.equal(updated.description, 'SDK monthly v2');
      assert.equal(updated.unitPrice.amount, '1600');
      const second = await paddle.prices.create({
        productId: prod.id,
        description: 'SDK once',
        unitPrice: { amount: '500', currencyCode: 'USD' },
      });
      const seen: string[] = [];
      for await (const item of paddle.prices.list({ productId: [prod.id], perPage: 1 })) seen.push(item.id);
      assert.deepEqual(seen, [second.id, created.id]);
      const recurringOnly: string[] = [];
      for await (const item of paddle.prices.list({ productId: [prod.id], recurring: true }))
        recurringOnly.push(item.id);
      assert.deepEqual(recurringOnly, [created.id]);
      const archived = await paddle.prices.archive(created.id);
      assert.equal(archived.status, 'archived');
      await assert.rejects(
        paddle.prices.update(created.id, { description: 'nope' }),
        (error: { code?: string }) => error.code === 'entity_archived',
      );
    });
  });
});
