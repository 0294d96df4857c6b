import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';
import { hashApiKey } from '../api-keys/key-format.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('create, get, update, list', () => {
    it('creates a customer with Paddle defaults and records customer.created', async () => {
      const created = await t().request('POST', '/customers', {
        body: { email: 'sam@example.com', name: 'Sam Miller' },
      });
      assertMatchesSpec('create-customer', created);
      assert.match(created.body.data.id, /^ctm_[a-z\d]{26}$/);
      assert.equal(created.body.data.locale, 'en');
      assert.equal(created.body.data.marketing_consent, false);
      assert.equal(created.body.data.status, 'active');
      const events = await recordedEvents(t(), { type: 'customer.created' });
      assert.ok(events.some((event) => event.data.id === created.body.data.id));

      const fetched = await t().request('GET', `/customers/${created.body.data.id}`);
      assertMatchesSpec('get-customer', fetched);
      assert.deepEqual(fetched.body.data, created.body.data);
    });

    it('refuses a second customer with the same email, whatever its case', async () => {
      const first = await t().request('POST', '/customers', { body: { email: 'dup@example.com' } });
      const second = await t().request('POST', '/customers', { body: { email: 'DUP@example.com' } });
      assertPaddleError(second, 409, 'customer_already_exists');
      assert.match(second.body.error.detail, new RegExp(first.body.data.id));
    });

    it('updates given fields only, clears with null, and records customer.updated', async () => {
      const created = await t().request('POST', '/customers', {
        body: { email: 'jo@example.com', name: 'Jo', custom_data: { a: 1 } },
      });
      const id = created.body.data.id;
      const updated = await t().request('PATCH', `/customers/${id}`, { body: { name: null, locale: 'de' } });
      assertMatchesSpec('update-customer', updated);
      assert.equal(updated.body.data.name, null);
      assert.equal(updated.body.data.locale, 'de');
      assert.deepEqual(updated.body.data.custom_data, { a: 1 });
      assert.ok(updated.body.data.updated_at > created.body.data.updated_at);
      const events = await recordedEvents(t(), { type: 'customer.updated' });
      assert.equal(events.at(-1)!.data.locale, 'de');
    });

    it('lists newest first with cursor pagination and a full next URL', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t().request('POST', '/customers', { body: { email: `page${i}@example.com` } });
        ids.push(res.body.data.id);
      }
      const first = await t().request('GET', '/customers?per_page=2&search=page');
      assertMatchesSpec('list-customers', first);
      assert.deepEqual(
        first.body.data.map((c: { id: string }) => c.id),
        [ids[2], ids[1]],
      );
      assert.equal(first.body.meta.pagination.has_more, true);
      assert.equal(first.body.meta.pagination.estimated_total, 3);
      const next = new URL(first.body.meta.pagination.next);
      assert.equal(next.origin, t().baseUrl);
      assert.equal(next.searchParams.get('after'), ids[1]);
      const second = await t().request('GET', `${next.pathname}${next.search}`);
      assert.deepEqual(
        second.body.data.map((c: { id: string }) => c.id),
        [ids[0]],
      );
      assert.equal(second.body.meta.pagination.has_more, false);
      const ascending = await t().request('GET', '/customers?order_by=id[ASC]&search=page');
      assert.deepEqual(
        ascending.body.data.map((c: { id: string }) => c.id),
        ids,
      );
    });

    it('searches id, name and email, taking % and _ literally', async () => {
      const percent = await t().request('POST', '/customers', {
        body: { email: 'literal@example.com', name: '100% Sure_Thing' },
      });
      await t().request('POST', '/customers', { body: { email: 'other-literal@example.com', name: '100 Sure Thing' } });
      const found = await t().request('GET', `/customers?search=${encodeURIComponent('100% sure_')}`);
      assert.deepEqual(
        found.body.data.map((c: { id: string }) => c.id),
        [percent.body.data.id],
      );
      const byEmail = await t().request('GET', '/customers?search=LITERAL@EXAMPLE');
      assert.equal(byEmail.body.data.length, 2);
    });

    it('filters by email, id and status (active by default)', async () => {
      const a = await t().request('POST', '/customers', { body: { email: 'filter-a@example.com' } });
      const b = await t().request('POST', '/customers', { body: { email: 'filter-b@example.com' } });
      await t().request('PATCH', `/customers/${b.body.data.id}`, { body: { status: 'archived' } });
      const byEmail = await t().request('GET', '/customers?email=filter-a@example.com,filter-b@example.com');
      assert.deepEqual(
        byEmail.body.data.map((c: { id: string }) => c.id),
        [a.body.data.id],
      );
      const archived = await t().request('GET', `/customers?status=archived&id=${a.body.data.id},${b.body.data.id}`);
      assert.deepEqual(
        archived.body.data.map((c: { id: string }) => c.id),
        [b.body.data.id],
      );
    });
  });

  describe('validation', () => {
    it('answers 400 invalid_field with one error per field', async () => {
      const res = await t().request('POST', '/customers', { body: { email: 'not-an-email', unknown_field: 1 } });
      assertPaddleError(res, 400, 'invalid_field');
      const fields = res.body.error.errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, ['email', 'unknown_field']);
    });

    it('requires email on create', async () => {
      const res = await t().request('POST', '/customers', { body: { name: 'No Email' } });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(res.body.error.errors, [{ field: 'email', message: 'field is required' }]);
    });

    it('answers malformed JSON, unknown ids, bad query values and wrong methods in the envelope', async () => {
      assertPaddleError(await t().request('POST', '/customers', { body: '{"email": ' }), 400, 'invalid_json');
      assertPaddleError(await t().request('GET', '/customers/ctm_01h8441jn5pcwrfhwh78jqt8hk'), 404, 'not_found');
      assertPaddleError(await t().request('GET', '/customers?order_by=email[ASC]'), 400, 'invalid_field');
      assertPaddleError(await t().request('GET', '/customers?status=gone'), 400, 'invalid_field');
      assertPaddleError(await t().request('DELETE', '/customers'), 405, 'method_not_allowed');
      assertPaddleError(await t().request('GET', '/nowhere'), 404, 'not_found');
    });
  });

  describe('auth', () => {
    it('answers 403 with the code Paddle uses for each failure', async () => {
      assertPaddleError(await t().request('GET', '/customers', { key: null }), 403, 'authentication_missing');
      assertPaddleError(
        await t().request('GET', '/customers', { key: null, headers: { authorization: 'Basic abc' } }),
        403,
        'authentication_malformed',
      );
      assertPaddleError(
        await t().request('GET', '/customers', {
          key: 'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO',
        }),
        403,
        'invalid_token',
      );
      const readOnly = await t().createKey('sandbox', ['customer.read']);
      assert.equal((await t().request('GET', '/customers', { key: readOnly })).status, 200);
      assertPaddleError(
        await t().request('POST', '/customers', { key: readOnly, body: { email: 'x@example.com' } }),
        403,
        'forbidden',
      );
    });

    it('refuses a get-by-id (key and row read together on PostgreSQL) exactly as any other operation', async () => {
      const created = await t().request('POST', '/customers', { body: { email: 'one-read@example.com' } });
      const url = `/customers/${created.body.data.id}`;
      const setKey = (key: string, values: { status?: string; expires_at?: string }) =>
        t().db.updateTable('api_keys').set(values).where('key_hash', '=', hashApiKey(key)).execute();
      assert.equal((await t().request('GET', url)).body.data.email, 'one-read@example.com');
      assertPaddleError(await t().request('GET', url, { key: null }), 403, 'authentication_missing');
      assertPaddleError(
        await t().request('GET', url, { key: 'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO' }),
        403,
        'invalid_token',
      );
      assertPaddleError(
        await t().request('GET', url, { key: await t().createKey('sandbox', ['product.read']) }),
        403,
        'forbidden',
      );
      const revoked = await t().createKey('sandbox', ['customer.read']);
      assert.equal((await t().request('GET', url, { key: revoked })).status, 200);
      await setKey(revoked, { status: 'revoked' });
      assertPaddleError(await t().request('GET', url, { key: revoked }), 403, 'invalid_token');
      const expired = await t().createKey('sandbox', ['customer.read']);
      assert.equal((await t().request('GET', url, { key: expired })).status, 200);
      await setKey(expired, { expires_at: '2001-01-01T00:00:00.000000Z' });
      assertPaddleError(await t().request('GET', url, { key: expired }), 403, 'invalid_token');
      assertPaddleError(await t().request('GET', url, { key: t().keys.live }), 404, 'not_found');
      const other = await t().createSeller(`sel_one_read_${dialect}`);
      assertPaddleError(await t().request('GET', url, { key: other.sandbox }), 404, 'not_found');
      assertPaddleError(await t().request('GET', `${url}x`), 404, 'not_found');
      // what a write changed is read at once
      assert.equal((await t().request('PATCH', url, { body: { name: 'Renamed' } })).status, 200);
      assert.equal((await t().request('GET', url)).body.data.name, 'Renamed');
    });

    it('keeps sellers and environments apart', async () => {
      const created = await t().request('POST', '/customers', { body: { email: 'isolated@example.com' } });
      const id = created.body.data.id;
      assertPaddleError(await t().request('GET', `/customers/${id}`, { key: t().keys.live }), 404, 'not_found');
      const other = await t().createSeller(`sel_other_${dialect}`);
      assertPaddleError(await t().request('GET', `/customers/${id}`, { key: other.sandbox }), 404, 'not_found');
      const list = await t().request('GET', '/customers', { key: other.sandbox });
      assert.deepEqual(list.body.data, []);
      // the same email is free in another environment and for another seller
      assert.equal(
        (await t().request('POST', '/customers', { key: t().keys.live, body: { email: 'isolated@example.com' } }))
          .status,
        201,
      );
      assert.equal(
        (await t().request('POST', '/customers', { key: other.sandbox, body: { email: 'isolated@example.com' } }))
          .status,
        201,
      );
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets, updates and pages through customers', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const created = await paddle.customers.create({
        email: 'sdk@example.com',
        name: 'SDK',
        customData: { plan: 'pro' },
      });
      assert.match(created.id, /^ctm_/);
      const fetched = await paddle.customers.get(created.id);
      assert.equal(fetched.email, 'sdk@example.com');
      const updated = await paddle.customers.update(created.id, { name: 'SDK 2' });
      assert.equal(updated.name, 'SDK 2');
      const seen: string[] = [];
      const collection = paddle.customers.list({ perPage: 2 });
      for await (const customer of collection) seen.push(customer.id);
      assert.ok(seen.includes(created.id));
      assert.equal(new Set(seen).size, seen.length);
    });
  });
});
