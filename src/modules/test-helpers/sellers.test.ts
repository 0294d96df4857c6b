// Sellers on demand, reset and delete (#15): a sandbox key holding every permission makes a seller with its own
// sandbox (and live, if asked), portal, clock and keys; lists, resets and deletes only the sellers its seller made;
// deleting removes every row the seller owns; a reset empties one sandbox and touches nothing else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aProduct } from '../../../test/support/builders.js';
import { assertPaddleError } from '../../../test/support/contract.js';
import {
  aRowInEveryDataTable,
  fillSandbox,
  newSeller,
  nowAndFrozen,
  rowCounts,
} from '../../../test/support/sandboxes.js';
import type { TenantTable } from '../../db/tables.js';
import { TENANT_TABLES, tenantTablesOf } from '../../db/tenant-tables.js';
import { ALL_PERMISSIONS } from '../../kernel/permissions.js';

const API_KEY = /^pdl_sdbx_apikey_[a-z\d]{26}_[a-zA-Z\d]{22}_[a-zA-Z\d]{3}$/;

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('POST /test-helpers/sellers', () => {
    it('makes a seller with its own sandbox, portal, clock and all-permission key; live only when asked', async () => {
      const seller = await newSeller(t(), { name: 'Suite A' });
      assert.match(seller.id, /^sel_[a-z\d]{26}$/);
      assert.equal(seller.name, 'Suite A');
      assert.match(seller.sandbox.api_key, API_KEY);
      assert.match(seller.sandbox.api_key_id, /^apikey_[a-z\d]{26}$/);
      assert.match(seller.sandbox.customer_portal_id, /^cpl_[a-z\d]{26}$/);
      assert.deepEqual(seller.sandbox.permissions, ALL_PERMISSIONS);
      assert.equal(seller.sandbox.clock.frozen, false);
      assert.equal(seller.live, null);
      const withLive = await newSeller(t(), { live: true });
      assert.match(withLive.live.api_key, /^pdl_live_apikey_/);
      assert.notEqual(withLive.live.customer_portal_id, withLive.sandbox.customer_portal_id);
      assert.notEqual(withLive.sandbox.customer_portal_id, seller.sandbox.customer_portal_id);
      const liveProducts = await t().request('GET', '/products', { key: withLive.live.api_key });
      assert.equal(liveProducts.status, 200, liveProducts.text);
    });

    it('keeps the new seller’s data to itself, both ways', async () => {
      const seller = await newSeller(t());
      const mine = await aProduct(t(), { name: 'Only mine' }, seller.sandbox.api_key);
      const theirs = await aProduct(t(), { name: 'Default seller’s' });
      const listed = await t().request('GET', '/products', { key: seller.sandbox.api_key });
      assert.deepEqual(
        listed.body.data.map((p: { id: string }) => p.id),
        [mine.id],
      );
      assertPaddleError(
        await t().request('GET', `/products/${theirs.id}`, { key: seller.sandbox.api_key }),
        404,
        'not_found',
      );
      assertPaddleError(await t().request('GET', `/products/${mine.id}`), 404, 'not_found');
    });

    it('gives its keys the chosen permissions', async () => {
      const seller = await newSeller(t(), { permissions: ['product.read'] });
      assert.deepEqual(seller.sandbox.permissions, ['product.read']);
      const key = seller.sandbox.api_key;
      assert.equal((await t().request('GET', '/products', { key })).status, 200);
      assertPaddleError(
        await t().request('POST', '/products', { key, body: { name: 'x', tax_category: 'standard' } }),
        403,
        'forbidden',
      );
      // A key without every permission may not make, list or reset sellers.
      assertPaddleError(await t().request('POST', '/test-helpers/sellers', { key, body: {} }), 403, 'forbidden');
      assertPaddleError(await t().request('POST', '/test-helpers/reset', { key }), 403, 'forbidden');
    });

    it('starts the sandbox clock frozen at the instant asked for', async () => {
      const seller = await newSeller(t(), { clock: { frozen_at: '2025-01-31T09:30:00Z' } });
      assert.deepEqual(seller.sandbox.clock, { now: '2025-01-31T09:30:00Z', frozen: true });
      const read = await t().request('GET', '/test-helpers/clock', { key: seller.sandbox.api_key });
      assert.deepEqual(nowAndFrozen(read.body.data), { now: '2025-01-31T09:30:00Z', frozen: true });
    });

    it('refuses live keys, keys without every permission, no key and bad input', async () => {
      assertPaddleError(
        await t().request('POST', '/test-helpers/sellers', { key: t().keys.live, body: {} }),
        403,
        'forbidden',
      );
      const narrow = await t().createKey(
        'sandbox',
        ALL_PERMISSIONS.filter((p) => p !== 'report.write'),
      );
      assertPaddleError(
        await t().request('POST', '/test-helpers/sellers', { key: narrow, body: {} }),
        403,
        'forbidden',
      );
      assertPaddleError(await t().request('GET', '/test-helpers/sellers', { key: narrow }), 403, 'forbidden');
      assertPaddleError(
        await t().request('POST', '/test-helpers/sellers', { key: null, body: {} }),
        403,
        'authentication_missing',
      );
      const bad = await t().request('POST', '/test-helpers/sellers', {
        body: {
          name: '',
          live: 'yes',
          permissions: ['product.fly'],
          clock: { frozen_at: 'soon', speed: 2 },
          color: 'red',
        },
      });
      assertPaddleError(bad, 400, 'invalid_field');
      assertPaddleError(
        await t().request('POST', '/test-helpers/sellers', { body: { clock: { frozen_at: '9999-01-01T00:00:00Z' } } }),
        400,
        'invalid_field',
      );
      assert.deepEqual(bad.body.error.errors.map((e: { field: string }) => e.field).sort(), [
        'clock.frozen_at',
        'clock.speed',
        'color',
        'live',
        'name',
        'permissions',
      ]);
    });
  });

  describe('GET and DELETE /test-helpers/sellers', () => {
    it('lists only the sellers the key’s seller made, and deletes them with every row they own', async () => {
      const parent = await newSeller(t(), { name: 'Parent' });
      const child = await newSeller(t(), { name: 'Child', live: true }, parent.sandbox.api_key);
      const other = await newSeller(t(), { name: 'Not the parent’s' });
      const listed = await t().request('GET', '/test-helpers/sellers', { key: parent.sandbox.api_key });
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(listed.body.data, [
        { id: child.id, name: 'Child', created_at: child.created_at, environments: ['sandbox', 'live'] },
      ]);

      await fillSandbox(t(), child);
      await aRowInEveryDataTable(t(), { seller_id: child.id, environment: 'sandbox' });
      await aProduct(t(), {}, child.live.api_key);
      const before = await rowCounts(t(), child.id);
      for (const table of Object.keys(TENANT_TABLES) as TenantTable[])
        assert.ok(before[table] > 0, `${table} has rows before the delete`);

      // Another seller's key (even an all-permission one) cannot see or delete it.
      assertPaddleError(
        await t().request('DELETE', `/test-helpers/sellers/${child.id}`, { key: other.sandbox.api_key }),
        404,
        'not_found',
      );
      const deleted = await t().request('DELETE', `/test-helpers/sellers/${child.id}`, { key: parent.sandbox.api_key });
      assert.equal(deleted.status, 204, deleted.text);
      const after = await rowCounts(t(), child.id);
      assert.ok(
        Object.values(after).every((n) => n === 0),
        JSON.stringify(after),
      );
      const seller = await t().db.selectFrom('sellers').selectAll().where('id', '=', child.id).executeTakeFirst();
      assert.equal(seller, undefined);
      assertPaddleError(await t().request('GET', '/products', { key: child.sandbox.api_key }), 403, 'invalid_token');
      assertPaddleError(
        await t().request('DELETE', `/test-helpers/sellers/${child.id}`, { key: parent.sandbox.api_key }),
        404,
        'not_found',
      );
      assert.ok((await rowCounts(t(), parent.id)).api_keys > 0, 'the parent is untouched');
    });

    it('never deletes the default seller, and refuses live keys', async () => {
      assertPaddleError(await t().request('DELETE', '/test-helpers/sellers/sel_default'), 404, 'not_found');
      assertPaddleError(
        await t().request('DELETE', '/test-helpers/sellers/sel_default', { key: t().keys.live }),
        403,
        'forbidden',
      );
    });
  });

  describe('POST /test-helpers/reset', () => {
    it('empties one seller’s sandbox and leaves its keys, portal, clock, its live data and other sellers alone', async () => {
      const a = await newSeller(t(), { live: true, clock: { frozen_at: '2026-03-01T00:00:00Z' } });
      const b = await newSeller(t());
      await fillSandbox(t(), a);
      await fillSandbox(t(), b);
      // Every data table has rows of both sellers (made-up ones where the API above made none).
      await aRowInEveryDataTable(t(), { seller_id: a.id, environment: 'sandbox' });
      await aRowInEveryDataTable(t(), { seller_id: b.id, environment: 'sandbox' });
      const liveProduct = await aProduct(t(), {}, a.live.api_key);
      const bBefore = await rowCounts(t(), b.id);
      const aBefore = await rowCounts(t(), a.id, 'sandbox');
      for (const table of Object.keys(TENANT_TABLES) as TenantTable[]) {
        assert.ok(aBefore[table] > 0, `${table} has rows of the sandbox reset`);
        assert.ok(bBefore[table] > 0, `${table} has rows of the other seller`);
      }

      const res = await t().request('POST', '/test-helpers/reset', { key: a.sandbox.api_key });
      assert.equal(res.status, 200, res.text);
      for (const table of tenantTablesOf('data'))
        assert.equal(res.body.data.deleted[table], aBefore[table], `${table}: rows deleted`);

      const aAfter = await rowCounts(t(), a.id, 'sandbox');
      for (const table of tenantTablesOf('data')) assert.equal(aAfter[table], 0, `${table} emptied`);
      for (const table of tenantTablesOf('identity')) assert.equal(aAfter[table], aBefore[table], `${table} kept`);
      assert.deepEqual(await rowCounts(t(), b.id), bBefore, 'the other seller is untouched');
      assert.equal((await t().request('GET', `/products/${liveProduct.id}`, { key: a.live.api_key })).status, 200);

      const key = a.sandbox.api_key;
      const clock = await t().request('GET', '/test-helpers/clock', { key });
      assert.deepEqual(
        nowAndFrozen(clock.body.data),
        { now: '2026-04-01T00:00:00Z', frozen: true },
        'the clock stays where it was',
      );
      assert.deepEqual((await t().request('GET', '/subscriptions', { key })).body.data, []);
      assert.deepEqual((await t().request('GET', '/test-helpers/emails', { key })).body.data, []);
      // The invoice numbers start again.
      const again = await fillSandbox(t(), a);
      assert.match(again.txn.invoice_number, /-00001$/);
    });

    it('resets a seller the key’s seller made, and no other', async () => {
      const parent = await newSeller(t());
      const child = await newSeller(t(), {}, parent.sandbox.api_key);
      await aProduct(t(), {}, child.sandbox.api_key);
      const reset = await t().request('POST', `/test-helpers/sellers/${child.id}/reset`, {
        key: parent.sandbox.api_key,
      });
      assert.equal(reset.status, 200, reset.text);
      assert.equal(reset.body.data.deleted.products, 1);
      assertPaddleError(await t().request('POST', `/test-helpers/sellers/${child.id}/reset`), 404, 'not_found');
      assertPaddleError(await t().request('POST', '/test-helpers/reset', { key: t().keys.live }), 403, 'forbidden');
    });
  });
});
