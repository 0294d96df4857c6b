import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((entity) => entity.id);

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function product(body: Record<string, unknown> = {}, key?: string): Promise<any> {
    const res = await t().request('POST', '/products', {
      body: { name: 'Plan', tax_category: 'standard', ...body },
      ...(key ? { key } : {}),
    });
    assert.equal(res.status, 201, res.text);
    return res.body.data;
  }

  async function price(productId: string, body: Record<string, unknown> = {}): Promise<any> {
    const res = await t().request('POST', '/prices', {
      body: {
        product_id: productId,
        description: 'Monthly',
        unit_price: { amount: '1000', currency_code: 'USD' },
        ...body,
      },
    });
    assert.equal(res.status, 201, res.text);
    return res.body.data;
  }

  async function eventsOf(type: string, id: string) {
    return (await recordedEvents(t(), { type, entityId: id })).map((event) => event.data);
  }

  describe('create, get, update', () => {
    it('creates a product with Paddle defaults and records product.created', async () => {
      const created = await t().request('POST', '/products', { body: { name: 'ChatApp Basic', tax_category: 'saas' } });
      assertMatchesSpec('create-product', created);
      const data = created.body.data;
      assert.match(data.id, /^pro_[a-z\d]{26}$/);
      assert.deepEqual(
        { ...data, id: undefined, created_at: undefined, updated_at: undefined },
        {
          id: undefined,
          name: 'ChatApp Basic',
          description: null,
          type: 'standard',
          tax_category: 'saas',
          image_url: null,
          custom_data: null,
          status: 'active',
          import_meta: null,
          created_at: undefined,
          updated_at: undefined,
        },
      );
      assert.equal(data.created_at, data.updated_at);
      assert.match(data.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/);
      assert.deepEqual(await eventsOf('product.created', data.id), [data]);

      const fetched = await t().request('GET', `/products/${data.id}`);
      assertMatchesSpec('get-product', fetched);
      assert.deepEqual(fetched.body.data, data);
    });

    it('keeps every field it is given, and ignores read-only ones', async () => {
      const created = await t().request('POST', '/products', {
        body: {
          name: 'Analytics add-on',
          description: 'Reports and dashboards',
          type: 'custom',
          tax_category: 'digital-goods',
          image_url: 'https://example.com/addon.png',
          custom_data: { features: { reports: true }, seats: 5 },
          id: 'pro_01h7zcgmdc6tmwtjehp3sh7azf',
          import_meta: { imported_from: 'paddle_classic', external_id: '1' },
        },
      });
      assertMatchesSpec('create-product', created);
      const data = created.body.data;
      assert.notEqual(data.id, 'pro_01h7zcgmdc6tmwtjehp3sh7azf');
      assert.equal(data.description, 'Reports and dashboards');
      assert.equal(data.type, 'custom');
      assert.equal(data.tax_category, 'digital-goods');
      assert.equal(data.image_url, 'https://example.com/addon.png');
      assert.deepEqual(data.custom_data, { features: { reports: true }, seats: 5 });
      assert.equal(data.import_meta, null);
    });

    it('updates given fields only, clears with null, and records product.updated', async () => {
      const created = await product({
        description: 'Old',
        image_url: 'https://example.com/a.png',
        custom_data: { a: 1 },
      });
      const updated = await t().request('PATCH', `/products/${created.id}`, {
        body: { name: 'Renamed', description: null, image_url: null, tax_category: 'ebooks' },
      });
      assertMatchesSpec('update-product', updated);
      const data = updated.body.data;
      assert.equal(data.name, 'Renamed');
      assert.equal(data.description, null);
      assert.equal(data.image_url, null);
      assert.equal(data.tax_category, 'ebooks');
      assert.deepEqual(data.custom_data, { a: 1 });
      assert.equal(data.created_at, created.created_at);
      assert.ok(data.updated_at > created.updated_at);
      assert.deepEqual(await eventsOf('product.updated', created.id), [data]);
      assert.deepEqual((await t().request('GET', `/products/${created.id}`)).body.data, data);

      const cleared = await t().request('PATCH', `/products/${created.id}`, {
        body: { custom_data: null, type: 'custom' },
      });
      assert.equal(cleared.body.data.custom_data, null);
      assert.equal(cleared.body.data.type, 'custom');
      assert.equal(cleared.body.data.name, 'Renamed');
    });

    it('archives with PATCH status, then refuses changes until it is made active again', async () => {
      const created = await product({ name: 'Legacy plan' });
      const archived = await t().request('PATCH', `/products/${created.id}`, { body: { status: 'archived' } });
      assertMatchesSpec('update-product', archived);
      assert.equal(archived.body.data.status, 'archived');

      const refused = await t().request('PATCH', `/products/${created.id}`, { body: { name: 'Still legacy' } });
      assertPaddleError(refused, 400, 'entity_archived');
      assert.equal(refused.body.error.detail, `Product ${created.id} is archived and cannot be modified.`);
      assert.equal(refused.body.error.documentation_url, 'https://developer.paddle.com/errors/shared/entity_archived');
      assertPaddleError(
        await t().request('PATCH', `/products/${created.id}`, { body: { status: 'archived' } }),
        400,
        'entity_archived',
      );
      assert.equal((await eventsOf('product.updated', created.id)).length, 1);

      const restored = await t().request('PATCH', `/products/${created.id}`, {
        body: { status: 'active', name: 'Revived plan' },
      });
      assertMatchesSpec('update-product', restored);
      assert.equal(restored.body.data.status, 'active');
      assert.equal(restored.body.data.name, 'Revived plan');
      assert.deepEqual(
        (await eventsOf('product.updated', created.id)).map((event) => event.status),
        ['archived', 'active'],
      );
    });
  });

  describe('list', () => {
    it('lists newest first with cursor pagination and a full next URL', async () => {
      const made = [await product({ name: 'p0' }), await product({ name: 'p1' }), await product({ name: 'p2' })];
      const filter = `id=${made.map((p) => p.id).join(',')}`;
      const first = await t().request('GET', `/products?${filter}&per_page=2`);
      assertMatchesSpec('list-products', first);
      assert.deepEqual(ids(first), [made[2].id, made[1].id]);
      assert.deepEqual(first.body.meta.pagination.per_page, 2);
      assert.equal(first.body.meta.pagination.has_more, true);
      assert.equal(first.body.meta.pagination.estimated_total, 3);
      const next = new URL(first.body.meta.pagination.next);
      assert.equal(next.origin, t().baseUrl);
      assert.equal(next.searchParams.get('after'), made[1].id);
      const second = await t().request('GET', `${next.pathname}${next.search}`);
      assertMatchesSpec('list-products', second);
      assert.deepEqual(ids(second), [made[0].id]);
      assert.equal(second.body.meta.pagination.has_more, false);

      const ascending = await t().request('GET', `/products?${filter}&order_by=id[ASC]`);
      assert.deepEqual(
        ids(ascending),
        made.map((p) => p.id),
      );
    });

    it('orders by any field the spec names, paging on (field, id)', async () => {
      const made = [
        await product({ name: 'order-b' }),
        await product({ name: 'order-c' }),
        await product({ name: 'order-a' }),
      ];
      const filter = `id=${made.map((p) => p.id).join(',')}`;
      const byName = await t().request('GET', `/products?${filter}&order_by=name[ASC]&per_page=2`);
      assertMatchesSpec('list-products', byName);
      assert.deepEqual(
        byName.body.data.map((p: { name: string }) => p.name),
        ['order-a', 'order-b'],
      );
      const next = new URL(byName.body.meta.pagination.next);
      const rest = await t().request('GET', `${next.pathname}${next.search}`);
      assert.deepEqual(
        rest.body.data.map((p: { name: string }) => p.name),
        ['order-c'],
      );
      const byNameDesc = await t().request('GET', `/products?${filter}&order_by=name[DESC]`);
      assert.deepEqual(
        byNameDesc.body.data.map((p: { name: string }) => p.name),
        ['order-c', 'order-b', 'order-a'],
      );
      assertPaddleError(await t().request('GET', '/products?order_by=type[ASC]'), 400, 'invalid_field');
    });

    it('filters by status (active by default), tax_category, type (standard by default) and id', async () => {
      const active = await product({ tax_category: 'website-hosting' });
      const archived = await product({ tax_category: 'website-hosting' });
      await t().request('PATCH', `/products/${archived.id}`, { body: { status: 'archived' } });
      const custom = await product({ tax_category: 'website-hosting', type: 'custom' });
      const other = await product({ tax_category: 'training-services' });

      const byDefault = await t().request('GET', '/products?tax_category=website-hosting');
      assertMatchesSpec('list-products', byDefault);
      assert.deepEqual(ids(byDefault), [active.id]);
      const archivedOnly = await t().request('GET', '/products?tax_category=website-hosting&status=archived');
      assert.deepEqual(ids(archivedOnly), [archived.id]);
      const both = await t().request('GET', '/products?tax_category=website-hosting&status=active,archived');
      assert.deepEqual(ids(both), [archived.id, active.id]);
      const customOnly = await t().request('GET', '/products?tax_category=website-hosting&type=custom');
      assert.deepEqual(ids(customOnly), [custom.id]);
      const twoCategories = await t().request('GET', '/products?tax_category=website-hosting,training-services');
      assert.deepEqual(ids(twoCategories), [other.id, active.id]);
      const byId = await t().request('GET', `/products?id=${other.id},${archived.id}`);
      assert.deepEqual(ids(byId), [other.id]);
      assertPaddleError(await t().request('GET', '/products?status=deleted'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/products?tax_category=food'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/products?type=catalog'), 400, 'invalid_field');
    });
  });

  describe('include=prices', () => {
    it('adds every price of each product on get and list', async () => {
      const withPrices = await product({ name: 'with prices', tax_category: 'implementation-services' });
      const without = await product({ name: 'without prices', tax_category: 'implementation-services' });
      const monthly = await price(withPrices.id);
      const yearly = await price(withPrices.id, {
        description: 'Yearly',
        billing_cycle: { interval: 'year', frequency: 1 },
      });
      await t().request('PATCH', `/prices/${yearly.id}`, { body: { status: 'archived' } });

      const got = await t().request('GET', `/products/${withPrices.id}?include=prices`);
      assertMatchesSpec('get-product', got);
      assert.deepEqual(
        got.body.data.prices.map((p: { id: string }) => p.id),
        [monthly.id, yearly.id],
      );
      assert.deepEqual(got.body.data.prices[0], monthly);
      assert.equal(got.body.data.prices[1].status, 'archived');

      const listed = await t().request('GET', '/products?tax_category=implementation-services&include=prices');
      assertMatchesSpec('list-products', listed);
      assert.deepEqual(ids(listed), [without.id, withPrices.id]);
      assert.deepEqual(listed.body.data[0].prices, []);
      assert.equal(listed.body.data[1].prices.length, 2);

      const plain = await t().request('GET', `/products/${withPrices.id}`);
      assert.equal('prices' in plain.body.data, false);
      assertPaddleError(await t().request('GET', `/products/${withPrices.id}?include=product`), 400, 'invalid_field');
    });

    it('needs price.read for include=prices', async () => {
      const created = await product();
      const productOnly = await t().createKey('sandbox', ['product.read']);
      assert.equal((await t().request('GET', `/products/${created.id}`, { key: productOnly })).status, 200);
      assertPaddleError(
        await t().request('GET', `/products/${created.id}?include=prices`, { key: productOnly }),
        403,
        'forbidden',
      );
      assertPaddleError(await t().request('GET', '/products?include=prices', { key: productOnly }), 403, 'forbidden');
      const both = await t().createKey('sandbox', ['product.read', 'price.read']);
      assert.equal((await t().request('GET', `/products/${created.id}?include=prices`, { key: both })).status, 200);
    });
  });

  describe('validation', () => {
    it('requires name and tax_category on create', async () => {
      const res = await t().request('POST', '/products', { body: {} });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(res.body.error.errors.map((e: { field: string }) => e.field).sort(), ['name', 'tax_category']);
    });

    it('answers 400 invalid_field naming each bad field', async () => {
      const res = await t().request('POST', '/products', {
        body: { name: '', tax_category: 'food', image_url: 'not a url', type: 'catalog', status: 'active' },
      });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(res.body.error.errors.map((e: { field: string }) => e.field).sort(), [
        'image_url',
        'name',
        'status',
        'tax_category',
        'type',
      ]);
      const long = await t().request('POST', '/products', {
        body: { name: 'x'.repeat(201), tax_category: 'standard' },
      });
      assertPaddleError(long, 400, 'invalid_field');
      const created = await product();
      const update = await t().request('PATCH', `/products/${created.id}`, {
        body: { status: 'deleted', custom_data: 'text' },
      });
      assertPaddleError(update, 400, 'invalid_field');
      assert.deepEqual(update.body.error.errors.map((e: { field: string }) => e.field).sort(), [
        'custom_data',
        'status',
      ]);
    });

    it('answers 404 for unknown products and 400 for bad query values', async () => {
      assertPaddleError(await t().request('GET', '/products/pro_01h8441jn5pcwrfhwh78jqt8hk'), 404, 'not_found');
      const patch = await t().request('PATCH', '/products/pro_01h8441jn5pcwrfhwh78jqt8hk', { body: { name: 'x' } });
      assertPaddleError(patch, 404, 'not_found');
      assert.equal(patch.body.error.detail, 'Entity pro_01h8441jn5pcwrfhwh78jqt8hk not found');
      assertPaddleError(await t().request('GET', '/products?per_page=0'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/products?include=prices,everything'), 400, 'invalid_field');
    });
  });

  describe('auth and isolation', () => {
    it('answers 403 without a key or without the permission', async () => {
      assertPaddleError(await t().request('GET', '/products', { key: null }), 403, 'authentication_missing');
      assertPaddleError(
        await t().request('POST', '/products', { key: null, body: { name: 'x', tax_category: 'standard' } }),
        403,
        'authentication_missing',
      );
      const readOnly = await t().createKey('sandbox', ['product.read']);
      assert.equal((await t().request('GET', '/products', { key: readOnly })).status, 200);
      assertPaddleError(
        await t().request('POST', '/products', { key: readOnly, body: { name: 'x', tax_category: 'standard' } }),
        403,
        'forbidden',
      );
      const created = await product();
      assertPaddleError(
        await t().request('PATCH', `/products/${created.id}`, { key: readOnly, body: { name: 'y' } }),
        403,
        'forbidden',
      );
      const priceOnly = await t().createKey('sandbox', ['price.write']);
      assertPaddleError(await t().request('GET', `/products/${created.id}`, { key: priceOnly }), 403, 'forbidden');
      const writer = await t().createKey('sandbox', ['product.write']);
      assert.equal((await t().request('GET', `/products/${created.id}`, { key: writer })).status, 200);
    });

    it('keeps sellers and environments apart', async () => {
      const created = await product({ name: 'sandbox only', tax_category: 'professional-services' });
      assertPaddleError(await t().request('GET', `/products/${created.id}`, { key: t().keys.live }), 404, 'not_found');
      assertPaddleError(
        await t().request('PATCH', `/products/${created.id}`, { key: t().keys.live, body: { name: 'x' } }),
        404,
        'not_found',
      );
      const other = await t().createSeller(`sel_products_${dialect}`);
      assertPaddleError(await t().request('GET', `/products/${created.id}`, { key: other.sandbox }), 404, 'not_found');
      assertPaddleError(
        await t().request('PATCH', `/products/${created.id}`, { key: other.sandbox, body: { name: 'x' } }),
        404,
        'not_found',
      );
      assert.deepEqual((await t().request('GET', '/products', { key: other.sandbox })).body.data, []);
      const live = await product({ name: 'live one', tax_category: 'professional-services' }, t().keys.live);
      const liveList = await t().request('GET', '/products?tax_category=professional-services', { key: t().keys.live });
      assert.deepEqual(ids(liveList), [live.id]);
      const sandboxList = await t().request('GET', '/products?tax_category=professional-services');
      assert.deepEqual(ids(sandboxList), [created.id]);
      // events stay with their tenant too
      const liveEvents = await recordedEvents(t(), { environment: 'live' });
      assert.ok(liveEvents.every((event) => event.data.id !== created.id));
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets with prices, updates, archives and pages through products', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const created = await paddle.products.create({
        name: 'SDK product',
        taxCategory: 'saas',
        description: 'Made by the SDK',
        customData: { tier: 'pro' },
      });
      assert.match(created.id, /^pro_/);
      assert.equal(created.taxCategory, 'saas');
      assert.deepEqual(created.customData, { tier: 'pro' });
      await price(created.id);
      const fetched = await paddle.products.get(created.id, { include: ['prices'] });
      assert.equal(fetched.name, 'SDK product');
      assert.equal(fetched.prices?.length, 1);
      assert.equal(fetched.prices?.[0]?.unitPrice.amount, '1000');
      const updated = await paddle.products.update(created.id, {
        name: 'SDK product 2',
        imageUrl: 'https://example.com/p.png',
      });
      assert.equal(updated.name, 'SDK product 2');
      assert.equal(updated.imageUrl, 'https://example.com/p.png');
      const seen: string[] = [];
      for await (const item of paddle.products.list({ perPage: 2, taxCategory: ['saas'] })) seen.push(item.id);
      assert.ok(seen.includes(created.id));
      assert.equal(new Set(seen).size, seen.length);
      const archived = await paddle.products.archive(created.id);
      assert.equal(archived.status, 'archived');
      await assert.rejects(
        paddle.products.update(created.id, { name: 'nope' }),
        (error: { code?: string }) => error.code === 'entity_archived',
      );
    });
  });
});
