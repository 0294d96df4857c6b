import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp, type TestResponse } from '../../../test/support/app.js';
import { aDiscount, aPrice, aProduct } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((entity) => entity.id);
const unique = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 10)}`.toUpperCase();

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('create, get, update, archive', () => {
    it('creates a discount with Paddle defaults, a generated code, and records discount.created', async () => {
      const created = await t().request('POST', '/discounts', {
        body: { description: 'Seasonal sale', type: 'percentage', amount: '10' },
      });
      assertMatchesSpec('create-discount', created);
      const data = created.body.data;
      assert.match(data.id, /^dsc_[a-z\d]{26}$/);
      assert.match(data.code, /^[A-Z0-9]{10}$/, 'enabled for checkout without a code: Paddle makes one of 10');
      assert.deepEqual(
        { ...data, id: undefined, code: undefined, created_at: undefined, updated_at: undefined },
        {
          id: undefined,
          status: 'active',
          description: 'Seasonal sale',
          enabled_for_checkout: true,
          code: undefined,
          type: 'percentage',
          mode: 'standard',
          amount: '10',
          currency_code: null,
          recur: false,
          maximum_recurring_intervals: null,
          usage_limit: null,
          restrict_to: null,
          expires_at: null,
          times_used: 0,
          discount_group_id: null,
          custom_data: null,
          import_meta: null,
          created_at: undefined,
          updated_at: undefined,
        },
      );
      assert.equal(data.created_at, data.updated_at);
      assert.deepEqual(
        (await recordedEvents(t(), { type: 'discount.created', entityId: data.id })).map((e) => e.data),
        [data],
      );
      const fetched = await t().request('GET', `/discounts/${data.id}`);
      assertMatchesSpec('get-discount', fetched);
      assert.deepEqual(fetched.body.data, data);
    });

    it('keeps every field it is given', async () => {
      const price = await aPrice(t());
      const product = await aProduct(t());
      const code = unique('SPRING');
      const created = await t().request('POST', '/discounts', {
        body: {
          description: 'Introductory offer: $10 off per user',
          enabled_for_checkout: true,
          code,
          type: 'flat_per_seat',
          mode: 'custom',
          amount: '1000',
          currency_code: 'USD',
          recur: true,
          maximum_recurring_intervals: 3,
          usage_limit: 100,
          restrict_to: [price.id, product.id],
          expires_at: '2030-12-03T00:00:00Z',
          custom_data: { campaign: 'spring' },
        },
      });
      assertMatchesSpec('create-discount', created);
      const data = created.body.data;
      assert.equal(data.code, code);
      assert.equal(data.mode, 'custom');
      assert.equal(data.currency_code, 'USD');
      assert.equal(data.recur, true);
      assert.equal(data.maximum_recurring_intervals, 3);
      assert.equal(data.usage_limit, 100);
      assert.deepEqual(data.restrict_to, [price.id, product.id]);
      assert.equal(data.expires_at, '2030-12-03T00:00:00Z');
      assert.deepEqual(data.custom_data, { campaign: 'spring' });
      const noCode = await aDiscount(t(), { enabled_for_checkout: false });
      assert.equal(noCode.code, null, 'not enabled for checkout: no code is made up');
    });

    it('updates given fields only, clears with null, and records discount.updated', async () => {
      const created = await aDiscount(t(), {
        custom_data: { a: 1 },
        usage_limit: 5,
        expires_at: '2031-01-01T00:00:00Z',
      });
      const updated = await t().request('PATCH', `/discounts/${created.id}`, {
        body: { description: 'Renamed', amount: '12.5', usage_limit: null, expires_at: null },
      });
      assertMatchesSpec('update-discount', updated);
      const data = updated.body.data;
      assert.equal(data.description, 'Renamed');
      assert.equal(data.amount, '12.5');
      assert.equal(data.usage_limit, null);
      assert.equal(data.expires_at, null);
      assert.deepEqual(data.custom_data, { a: 1 });
      assert.equal(data.code, created.code);
      assert.ok(data.updated_at > created.updated_at);
      assert.deepEqual(
        (await recordedEvents(t(), { type: 'discount.updated', entityId: created.id })).map((e) => e.data),
        [data],
      );
      const flat = await t().request('PATCH', `/discounts/${created.id}`, {
        body: { type: 'flat', amount: '500', currency_code: 'EUR' },
      });
      assertMatchesSpec('update-discount', flat);
      assert.deepEqual(
        [flat.body.data.type, flat.body.data.amount, flat.body.data.currency_code],
        ['flat', '500', 'EUR'],
      );
    });

    it('archives with PATCH status, then refuses changes until it is made active again', async () => {
      const created = await aDiscount(t());
      const archived = await t().request('PATCH', `/discounts/${created.id}`, { body: { status: 'archived' } });
      assertMatchesSpec('update-discount', archived);
      assert.equal(archived.body.data.status, 'archived');
      const refused = await t().request('PATCH', `/discounts/${created.id}`, { body: { description: 'x' } });
      assertPaddleError(refused, 400, 'entity_archived');
      assert.equal(refused.body.error.detail, `Discount ${created.id} is archived and cannot be modified.`);
      const restored = await t().request('PATCH', `/discounts/${created.id}`, {
        body: { status: 'active', description: 'Back' },
      });
      assert.equal(restored.body.data.status, 'active');
      assert.equal(restored.body.data.description, 'Back');
    });
  });

  describe('codes', () => {
    it('are unique per seller and environment whatever their case (409 discount_code_conflict)', async () => {
      const code = unique('Bf');
      const first = await aDiscount(t(), { code });
      const clash = await t().request('POST', '/discounts', {
        body: { description: 'x', type: 'percentage', amount: '5', code: code.toLowerCase() },
      });
      assertPaddleError(clash, 409, 'discount_code_conflict');
      assert.equal(clash.body.error.detail, `Discount code conflicts with Discount ID ${first.id}`);
      assert.equal(
        clash.body.error.documentation_url,
        'https://developer.paddle.com/errors/discounts/discount_code_conflict',
      );
      const other = await aDiscount(t());
      assertPaddleError(
        await t().request('PATCH', `/discounts/${other.id}`, { body: { code: code.toUpperCase() } }),
        409,
        'discount_code_conflict',
      );
      assert.equal((await t().request('GET', `/discounts/${other.id}`)).body.data.code, other.code, 'nothing changed');
      // the same code in the live environment and for another seller is free
      await aDiscount(t(), { code }, t().keys.live);
      const seller = await t().createSeller(`sel_dsc_codes_${dialect}`);
      await aDiscount(t(), { code }, seller.sandbox);
      // a discount keeps its own code on update, and a cleared code is replaced when enabled for checkout
      const same = await t().request('PATCH', `/discounts/${first.id}`, { body: { code: code.toLowerCase() } });
      assert.equal(same.body.data.code, code.toLowerCase());
      const cleared = await t().request('PATCH', `/discounts/${first.id}`, { body: { code: null } });
      assert.match(cleared.body.data.code, /^[A-Z0-9]{10}$/);
      const off = await t().request('PATCH', `/discounts/${first.id}`, {
        body: { code: null, enabled_for_checkout: false },
      });
      assert.equal(off.body.data.code, null);
    });

    it('refuse codes that are not letters and digits up to 32 characters', async () => {
      for (const code of ['SPRING-SALE', 'x'.repeat(33), '']) {
        const res = await t().request('POST', '/discounts', {
          body: { description: 'x', type: 'percentage', amount: '5', code },
        });
        assertPaddleError(res, 400, 'invalid_field');
        assert.deepEqual(
          res.body.error.errors.map((e: { field: string }) => e.field),
          ['code'],
        );
      }
    });
  });

  describe('refusals', () => {
    const create = (body: Record<string, unknown>) =>
      t().request('POST', '/discounts', { body: { description: 'x', ...body } });
    const fieldsOf = (res: TestResponse): string[] => res.body.error.errors.map((e: { field: string }) => e.field);

    it('refuses terms that do not fit together, each with the smallest request', async () => {
      for (const [body, fields] of [
        [{ type: 'percentage', amount: '100.01' }, ['amount']],
        [{ type: 'percentage', amount: '0' }, ['amount']],
        [{ type: 'percentage', amount: '10.005' }, ['amount']],
        [{ type: 'flat', amount: '500' }, ['currency_code']],
        [{ type: 'flat_per_seat', amount: '5.00', currency_code: 'USD' }, ['amount']],
        [{ type: 'flat', amount: '0', currency_code: 'USD' }, ['amount']],
        [{ type: 'percentage', amount: '10', maximum_recurring_intervals: 2 }, ['maximum_recurring_intervals']],
        [{ type: 'bogo', amount: '10' }, ['type']],
        [{ type: 'percentage' }, ['amount']],
      ] as const) {
        const res = await create(body);
        assertPaddleError(res, 400, 'invalid_field');
        assert.deepEqual(fieldsOf(res), fields, JSON.stringify(body));
      }
      assert.deepEqual(
        (await t().request('GET', '/discounts?per_page=200')).body.data.filter(
          (d: { description: string }) => d.description === 'x',
        ),
        [],
      );
      const ok = await create({ type: 'percentage', amount: '100' });
      assert.equal(ok.status, 201);
      const update = await t().request('PATCH', `/discounts/${ok.body.data.id}`, { body: { type: 'flat' } });
      assertPaddleError(update, 400, 'invalid_field');
      assert.deepEqual(fieldsOf(update), ['currency_code']);
    });

    it('refuses restrict_to naming anything but active products and prices of the tenant', async () => {
      const product = await aProduct(t());
      await t().request('PATCH', `/products/${product.id}`, { body: { status: 'archived' } });
      const archivedProduct = await create({ type: 'percentage', amount: '5', restrict_to: [product.id] });
      assertPaddleError(archivedProduct, 400, 'discount_restricted_product_not_active');
      assert.equal(archivedProduct.body.error.detail, `Product given not active ${product.id}`);
      assertPaddleError(
        await create({ type: 'percentage', amount: '5', restrict_to: ['pro_01h8441jn5pcwrfhwh78jqt8hk'] }),
        400,
        'discount_restricted_product_not_active',
      );
      const price = await aPrice(t());
      await t().request('PATCH', `/prices/${price.id}`, { body: { status: 'archived' } });
      const archivedPrice = await create({ type: 'percentage', amount: '5', restrict_to: [price.id] });
      assertPaddleError(archivedPrice, 400, 'discount_restricted_product_price_not_active');
      assert.equal(archivedPrice.body.error.detail, `Product Price given not active ${price.id}`);
      const liveProduct = await aProduct(t(), {}, t().keys.live);
      assertPaddleError(
        await create({ type: 'percentage', amount: '5', restrict_to: [liveProduct.id] }),
        400,
        'discount_restricted_product_not_active',
      );
      assertPaddleError(
        await create({ type: 'percentage', amount: '5', restrict_to: ['txn_1'] }),
        400,
        'invalid_field',
      );
    });

    it('answers 404 for unknown discounts', async () => {
      assertPaddleError(await t().request('GET', '/discounts/dsc_01h8441jn5pcwrfhwh78jqt8hk'), 404, 'not_found');
      const patch = await t().request('PATCH', '/discounts/dsc_01h8441jn5pcwrfhwh78jqt8hk', {
        body: { description: 'x' },
      });
      assertPaddleError(patch, 404, 'not_found');
    });
  });

  describe('list', () => {
    it('filters by id, code (any case), status (active by default) and mode (standard by default)', async () => {
      const code = unique('LIST');
      const active = await aDiscount(t(), { code, description: 'list' });
      const archived = await aDiscount(t(), { description: 'list' });
      await t().request('PATCH', `/discounts/${archived.id}`, { body: { status: 'archived' } });
      const custom = await aDiscount(t(), { description: 'list', mode: 'custom' });
      const filter = `id=${[active.id, archived.id, custom.id].join(',')}`;
      const byDefault = await t().request('GET', `/discounts?${filter}`);
      assertMatchesSpec('list-discounts', byDefault);
      assert.deepEqual(ids(byDefault), [active.id]);
      assert.deepEqual(ids(await t().request('GET', `/discounts?${filter}&status=archived`)), [archived.id]);
      assert.deepEqual(ids(await t().request('GET', `/discounts?${filter}&status=active,archived`)), [
        archived.id,
        active.id,
      ]);
      assert.deepEqual(ids(await t().request('GET', `/discounts?${filter}&mode=custom`)), [custom.id]);
      const byCode = await t().request('GET', `/discounts?code=${code.toLowerCase()},NOPE`);
      assertMatchesSpec('list-discounts', byCode);
      assert.deepEqual(ids(byCode), [active.id]);
      const page = await t().request('GET', `/discounts?${filter}&status=active,archived&per_page=1&order_by=id[ASC]`);
      assert.deepEqual(ids(page), [active.id]);
      assert.equal(page.body.meta.pagination.has_more, true);
      assertPaddleError(await t().request('GET', '/discounts?status=expired'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/discounts?order_by=amount[ASC]'), 400, 'invalid_field');
    });
  });

  describe('auth and isolation', () => {
    it('needs discount.read to read and discount.write to write', async () => {
      assertPaddleError(await t().request('GET', '/discounts', { key: null }), 403, 'authentication_missing');
      const created = await aDiscount(t());
      const reader = await t().createKey('sandbox', ['discount.read']);
      assert.equal((await t().request('GET', `/discounts/${created.id}`, { key: reader })).status, 200);
      assert.equal((await t().request('GET', '/discounts', { key: reader })).status, 200);
      assertPaddleError(
        await t().request('POST', '/discounts', {
          key: reader,
          body: { description: 'x', type: 'percentage', amount: '5' },
        }),
        403,
        'forbidden',
      );
      assertPaddleError(
        await t().request('PATCH', `/discounts/${created.id}`, { key: reader, body: { description: 'y' } }),
        403,
        'forbidden',
      );
      const other = await t().createKey('sandbox', ['product.write']);
      assertPaddleError(await t().request('GET', `/discounts/${created.id}`, { key: other }), 403, 'forbidden');
      assertPaddleError(await t().request('GET', '/discounts', { key: other }), 403, 'forbidden');
    });

    it('keeps sellers and environments apart', async () => {
      const created = await aDiscount(t());
      assertPaddleError(await t().request('GET', `/discounts/${created.id}`, { key: t().keys.live }), 404, 'not_found');
      const seller = await t().createSeller(`sel_dsc_apart_${dialect}`);
      assertPaddleError(
        await t().request('PATCH', `/discounts/${created.id}`, { key: seller.sandbox, body: { description: 'x' } }),
        404,
        'not_found',
      );
      assert.deepEqual((await t().request('GET', '/discounts', { key: seller.sandbox })).body.data, []);
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets, updates, lists and archives discounts', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const code = unique('SDK');
      const created = await paddle.discounts.create({
        description: 'SDK discount',
        type: 'flat',
        amount: '500',
        currencyCode: 'USD',
        code,
        recur: true,
        maximumRecurringIntervals: 2,
      });
      assert.match(created.id, /^dsc_/);
      assert.equal(created.code, code);
      assert.equal(created.maximumRecurringIntervals, 2);
      const fetched = await paddle.discounts.get(created.id);
      assert.equal(fetched.amount, '500');
      const updated = await paddle.discounts.update(created.id, { usageLimit: 10, expiresAt: '2032-01-01T00:00:00Z' });
      assert.equal(updated.usageLimit, 10);
      assert.equal(updated.expiresAt, '2032-01-01T00:00:00Z');
      const seen: string[] = [];
      for await (const item of paddle.discounts.list({ code: [code.toLowerCase()] })) seen.push(item.id);
      assert.deepEqual(seen, [created.id]);
      const archived = await paddle.discounts.archive(created.id);
      assert.equal(archived.status, 'archived');
      await assert.rejects(
        paddle.discounts.create({ description: 'clash', type: 'percentage', amount: '5', code }),
        (error: { code?: string }) => error.code === 'discount_code_conflict',
      );
    });
  });
});
