import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { DEFAULT_SELLER_ID } from '../sellers/service.js';
import { recordedEvents } from '../../../test/support/events.js';

const UNKNOWN_CUSTOMER = 'ctm_01h8441jn5pcwrfhwh78jqt8hk';
const UNKNOWN_BUSINESS = 'biz_01h8441jn5pcwrfhwh78jqt8hk';

const acme = {
  name: 'ACME Inc.',
  company_number: '123456789',
  tax_identifier: 'AB0123456789',
  contacts: [{ name: 'Parker Jones', email: 'parker@example.com' }],
};

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  let emails = 0;

  async function aCustomer(key?: string): Promise<string> {
    emails += 1;
    const res = await t().request('POST', '/customers', { key, body: { email: `biz-${emails}@example.com` } });
    assert.equal(res.status, 201, res.text);
    return res.body.data.id;
  }

  async function aBusiness(customerId: string, body: Record<string, unknown> = acme, key?: string) {
    const res = await t().request('POST', `/customers/${customerId}/businesses`, { key, body });
    assert.equal(res.status, 201, res.text);
    return res.body.data;
  }

  async function eventsFor(type: string, id: string) {
    return recordedEvents(t(), { type, entityId: id });
  }

  describe('create, get, update', () => {
    it('creates a business for the customer and records business.created with the entity', async () => {
      const customerId = await aCustomer();
      const created = await t().request('POST', `/customers/${customerId}/businesses`, {
        body: { ...acme, custom_data: { crm: 'b1' } },
      });
      assertMatchesSpec('create-business', created);
      const business = created.body.data;
      assert.match(business.id, /^biz_[a-z\d]{26}$/);
      assert.equal(business.customer_id, customerId);
      assert.equal(business.name, 'ACME Inc.');
      assert.equal(business.status, 'active');
      assert.deepEqual(business.contacts, acme.contacts);
      assert.deepEqual(business.custom_data, { crm: 'b1' });
      assert.equal(business.import_meta, null);
      const events = await eventsFor('business.created', business.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.data, business);
      assert.equal(events[0]!.seller_id, DEFAULT_SELLER_ID);
      assert.equal(events[0]!.environment, 'sandbox');

      const fetched = await t().request('GET', `/customers/${customerId}/businesses/${business.id}`);
      assertMatchesSpec('get-business', fetched);
      assert.deepEqual(fetched.body.data, business);
    });

    it('needs only a name; contacts default to [] and a contact without a name gets an empty one', async () => {
      const customerId = await aCustomer();
      const bare = await t().request('POST', `/customers/${customerId}/businesses`, { body: { name: 'Solo Ltd' } });
      assertMatchesSpec('create-business', bare);
      assert.deepEqual(bare.body.data.contacts, []);
      assert.equal(bare.body.data.company_number, null);
      assert.equal(bare.body.data.tax_identifier, null);
      assert.equal(bare.body.data.custom_data, null);
      const nullContacts = await t().request('POST', `/customers/${customerId}/businesses`, {
        body: { name: 'Null Ltd', contacts: null },
      });
      assertMatchesSpec('create-business', nullContacts);
      assert.deepEqual(nullContacts.body.data.contacts, []);
      const nameless = await t().request('POST', `/customers/${customerId}/businesses`, {
        body: { name: 'Nameless Ltd', contacts: [{ email: 'ap@example.com' }] },
      });
      assertMatchesSpec('create-business', nameless);
      assert.deepEqual(nameless.body.data.contacts, [{ name: '', email: 'ap@example.com' }]);
    });

    it('updates given fields only, replaces contacts as a whole, clears with null, and records business.updated', async () => {
      const customerId = await aCustomer();
      const business = await aBusiness(customerId, { ...acme, custom_data: { a: 1 } });
      const updated = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: {
          tax_identifier: null,
          contacts: [
            { name: 'Sam', email: 'sam@example.com' },
            { name: 'Jo', email: 'jo@example.com' },
          ],
        },
      });
      assertMatchesSpec('update-business', updated);
      const data = updated.body.data;
      assert.equal(data.tax_identifier, null);
      assert.equal(data.name, acme.name);
      assert.equal(data.company_number, acme.company_number);
      assert.deepEqual(
        data.contacts.map((c: { email: string }) => c.email),
        ['sam@example.com', 'jo@example.com'],
      );
      assert.deepEqual(data.custom_data, { a: 1 });
      assert.equal(data.created_at, business.created_at);
      assert.ok(data.updated_at > business.updated_at);
      const events = await eventsFor('business.updated', business.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.data, data);
      const cleared = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: { contacts: null, custom_data: null },
      });
      assertMatchesSpec('update-business', cleared);
      assert.deepEqual(cleared.body.data.contacts, []);
      assert.equal(cleared.body.data.custom_data, null);
      const fetched = await t().request('GET', `/customers/${customerId}/businesses/${business.id}`);
      assert.deepEqual(fetched.body.data, cleared.body.data);
    });

    it('archives with PATCH status archived, and unarchives the same way', async () => {
      const customerId = await aCustomer();
      const business = await aBusiness(customerId);
      const archived = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: { status: 'archived' },
      });
      assertMatchesSpec('update-business', archived);
      assert.equal(archived.body.data.status, 'archived');
      assert.deepEqual((await t().request('GET', `/customers/${customerId}/businesses`)).body.data, []);
      const restored = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: { status: 'active' },
      });
      assert.equal(restored.body.data.status, 'active');
      const events = await eventsFor('business.updated', business.id);
      assert.deepEqual(
        events.map((event) => event.data.status),
        ['archived', 'active'],
      );
    });
  });

  describe('list', () => {
    it("lists the customer's businesses newest first with cursor pagination and a full next URL", async () => {
      const customerId = await aCustomer();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await aBusiness(customerId, { name: `Biz ${i}` })).id);
      await aBusiness(await aCustomer()); // another customer's business never shows up

      const first = await t().request('GET', `/customers/${customerId}/businesses?per_page=2`);
      assertMatchesSpec('list-businesses', first);
      assert.deepEqual(
        first.body.data.map((b: { id: string }) => b.id),
        [ids[2], ids[1]],
      );
      assert.equal(first.body.meta.pagination.has_more, true);
      assert.equal(first.body.meta.pagination.estimated_total, 3);
      const next = new URL(first.body.meta.pagination.next);
      assert.equal(next.origin, t().baseUrl);
      assert.equal(next.searchParams.get('after'), ids[1]);
      const second = await t().request('GET', `${next.pathname}${next.search}`);
      assertMatchesSpec('list-businesses', second);
      assert.deepEqual(
        second.body.data.map((b: { id: string }) => b.id),
        [ids[0]],
      );
      assert.equal(second.body.meta.pagination.has_more, false);
      const ascending = await t().request('GET', `/customers/${customerId}/businesses?order_by=id[ASC]`);
      assert.deepEqual(
        ascending.body.data.map((b: { id: string }) => b.id),
        ids,
      );
    });

    it('filters by id and status (active by default)', async () => {
      const customerId = await aCustomer();
      const a = await aBusiness(customerId);
      const b = await aBusiness(customerId);
      await t().request('PATCH', `/customers/${customerId}/businesses/${b.id}`, { body: { status: 'archived' } });
      const active = await t().request('GET', `/customers/${customerId}/businesses`);
      assert.deepEqual(
        active.body.data.map((x: { id: string }) => x.id),
        [a.id],
      );
      const archived = await t().request('GET', `/customers/${customerId}/businesses?status=archived`);
      assertMatchesSpec('list-businesses', archived);
      assert.deepEqual(
        archived.body.data.map((x: { id: string }) => x.id),
        [b.id],
      );
      const both = await t().request(
        'GET',
        `/customers/${customerId}/businesses?status=archived,active&id=${a.id},${b.id}`,
      );
      assert.deepEqual(
        both.body.data.map((x: { id: string }) => x.id),
        [b.id, a.id],
      );
      const byId = await t().request('GET', `/customers/${customerId}/businesses?id=${b.id}`);
      assert.deepEqual(byId.body.data, []);
    });

    it('searches name, numbers and contacts (not the JSON key names), case-insensitively', async () => {
      const customerId = await aCustomer();
      const acmeBiz = await aBusiness(customerId);
      const globex = await aBusiness(customerId, {
        name: 'Globex 50% Off_Corp',
        company_number: 'GB-998877',
        tax_identifier: 'GB123456789',
        contacts: [{ name: 'Hank "The Boss" Scorpio', email: 'hank@globex.example' }],
      });
      const search = async (term: string) => {
        const res = await t().request('GET', `/customers/${customerId}/businesses?search=${encodeURIComponent(term)}`);
        assertMatchesSpec('list-businesses', res);
        return res.body.data.map((x: { id: string }) => x.id);
      };
      assert.deepEqual(await search('acme'), [acmeBiz.id]);
      assert.deepEqual(await search('998877'), [globex.id]);
      assert.deepEqual(await search('ab0123'), [acmeBiz.id]);
      assert.deepEqual(await search('PARKER'), [acmeBiz.id]);
      assert.deepEqual(await search('globex.example'), [globex.id]);
      assert.deepEqual(await search('"the boss"'), [globex.id]);
      assert.deepEqual(await search(acmeBiz.id), [acmeBiz.id]);
      assert.deepEqual(await search('50%'), [globex.id]);
      assert.deepEqual(await search('f_c'), [globex.id]);
      assert.deepEqual(await search('a_m'), []); // would match "acme" if _ were a wildcard
      assert.deepEqual(await search('email'), []);
      assert.deepEqual(await search('name'), []);
      assert.deepEqual(await search('example.com'), [acmeBiz.id]);
    });

    it('rejects bad query values', async () => {
      const customerId = await aCustomer();
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/businesses?status=gone`),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/businesses?order_by=name[ASC]`),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/businesses?per_page=abc`),
        400,
        'invalid_field',
      );
    });
  });

  describe('validation', () => {
    it('requires a non-empty name on create', async () => {
      const customerId = await aCustomer();
      const missing = await t().request('POST', `/customers/${customerId}/businesses`, {
        body: { company_number: '1' },
      });
      assertPaddleError(missing, 400, 'invalid_field');
      assert.deepEqual(missing.body.error.errors, [{ field: 'name', message: 'field is required' }]);
      const empty = await t().request('POST', `/customers/${customerId}/businesses`, { body: { name: '' } });
      assertPaddleError(empty, 400, 'invalid_field');
      assert.deepEqual(
        empty.body.error.errors.map((e: { field: string }) => e.field),
        ['name'],
      );
      const business = await aBusiness(customerId);
      const emptyUpdate = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: { name: '' },
      });
      assertPaddleError(emptyUpdate, 400, 'invalid_field');
      const nullName = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: { name: null },
      });
      assertPaddleError(nullName, 400, 'invalid_field');
      assert.equal((await eventsFor('business.updated', business.id)).length, 0);
    });

    it('checks contacts: an email each, valid, no duplicates, at most 100', async () => {
      const customerId = await aCustomer();
      const base = `/customers/${customerId}/businesses`;
      const noEmail = await t().request('POST', base, { body: { name: 'X', contacts: [{ name: 'No Email' }] } });
      assertPaddleError(noEmail, 400, 'invalid_field');
      assert.deepEqual(noEmail.body.error.errors, [{ field: 'contacts[0].email', message: 'field is required' }]);
      const badEmail = await t().request('POST', base, {
        body: { name: 'X', contacts: [{ name: 'A', email: 'not-an-email' }] },
      });
      assertPaddleError(badEmail, 400, 'invalid_field');
      assert.equal(badEmail.body.error.errors[0].field, 'contacts[0].email');
      const duplicate = { name: 'A', email: 'a@example.com' };
      assertPaddleError(
        await t().request('POST', base, { body: { name: 'X', contacts: [duplicate, duplicate] } }),
        400,
        'invalid_field',
      );
      const many = Array.from({ length: 101 }, (_, i) => ({ name: 'C', email: `c${i}@example.com` }));
      assertPaddleError(await t().request('POST', base, { body: { name: 'X', contacts: many } }), 400, 'invalid_field');
    });

    it('answers one error per field for unknown fields, wrong types and bad status', async () => {
      const customerId = await aCustomer();
      const res = await t().request('POST', `/customers/${customerId}/businesses`, {
        body: { name: 'X', company_number: 5, tax_identifier: 'x'.repeat(1025), status: 'active' },
      });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(res.body.error.errors.map((e: { field: string }) => e.field).sort(), [
        'company_number',
        'status',
        'tax_identifier',
      ]);
      const update = await t().request('PATCH', `/customers/${customerId}/businesses/${UNKNOWN_BUSINESS}`, {
        body: { status: 'deleted' },
      });
      assertPaddleError(update, 400, 'invalid_field');
      assertPaddleError(
        await t().request('POST', `/customers/${customerId}/businesses`, { body: '{"name": ' }),
        400,
        'invalid_json',
      );
    });
  });

  describe('not found', () => {
    it('answers 404 naming the customer when the customer is unknown, for every operation', async () => {
      const base = `/customers/${UNKNOWN_CUSTOMER}/businesses`;
      for (const [method, url, body] of [
        ['GET', base, undefined],
        ['POST', base, acme],
        ['GET', `${base}/${UNKNOWN_BUSINESS}`, undefined],
        ['PATCH', `${base}/${UNKNOWN_BUSINESS}`, { name: 'X' }],
      ] as const) {
        const res = await t().request(method, url, { body });
        assertPaddleError(res, 404, 'not_found');
        assert.match(res.body.error.detail, new RegExp(UNKNOWN_CUSTOMER), `${method} ${url}`);
      }
    });

    it('finds a business only through its own customer', async () => {
      const owner = await aCustomer();
      const other = await aCustomer();
      const business = await aBusiness(owner);
      const get = await t().request('GET', `/customers/${other}/businesses/${business.id}`);
      assertPaddleError(get, 404, 'not_found');
      assert.match(get.body.error.detail, new RegExp(business.id));
      assertPaddleError(
        await t().request('PATCH', `/customers/${other}/businesses/${business.id}`, { body: { name: 'Stolen' } }),
        404,
        'not_found',
      );
      assert.deepEqual((await t().request('GET', `/customers/${other}/businesses?id=${business.id}`)).body.data, []);
      assert.equal(
        (await t().request('GET', `/customers/${owner}/businesses/${business.id}`)).body.data.name,
        acme.name,
      );
      assertPaddleError(
        await t().request('GET', `/customers/${owner}/businesses/${UNKNOWN_BUSINESS}`),
        404,
        'not_found',
      );
    });

    it('refuses new businesses for an archived customer but still reads and updates existing ones', async () => {
      const customerId = await aCustomer();
      const business = await aBusiness(customerId);
      await t().request('PATCH', `/customers/${customerId}`, { body: { status: 'archived' } });
      const res = await t().request('POST', `/customers/${customerId}/businesses`, { body: acme });
      assertPaddleError(res, 400, 'entity_archived');
      assert.match(res.body.error.detail, new RegExp(customerId));
      assert.equal((await t().request('GET', `/customers/${customerId}/businesses/${business.id}`)).status, 200);
      const archived = await t().request('PATCH', `/customers/${customerId}/businesses/${business.id}`, {
        body: { status: 'archived' },
      });
      assert.equal(archived.body.data.status, 'archived');
    });
  });

  describe('auth', () => {
    it('needs business.read to read and business.write to write', async () => {
      const customerId = await aCustomer();
      const business = await aBusiness(customerId);
      const base = `/customers/${customerId}/businesses`;
      const addressKey = await t().createKey('sandbox', ['customer.write', 'address.write']);
      assertPaddleError(await t().request('GET', base, { key: addressKey }), 403, 'forbidden');
      assertPaddleError(await t().request('GET', `${base}/${business.id}`, { key: addressKey }), 403, 'forbidden');
      const readOnly = await t().createKey('sandbox', ['business.read']);
      assert.equal((await t().request('GET', base, { key: readOnly })).status, 200);
      assert.equal((await t().request('GET', `${base}/${business.id}`, { key: readOnly })).status, 200);
      assertPaddleError(await t().request('POST', base, { key: readOnly, body: acme }), 403, 'forbidden');
      assertPaddleError(
        await t().request('PATCH', `${base}/${business.id}`, { key: readOnly, body: { name: 'X' } }),
        403,
        'forbidden',
      );
      const writer = await t().createKey('sandbox', ['business.write']);
      assert.equal((await t().request('POST', base, { key: writer, body: acme })).status, 201);
      assert.equal((await t().request('GET', base, { key: writer })).status, 200);
      assertPaddleError(await t().request('GET', base, { key: null }), 403, 'authentication_missing');
    });

    it('keeps sellers and environments apart', async () => {
      const customerId = await aCustomer();
      const business = await aBusiness(customerId);
      const path = `/customers/${customerId}/businesses`;
      for (const key of [t().keys.live, (await t().createSeller(`sel_biz_${dialect}`)).sandbox]) {
        assertPaddleError(await t().request('GET', `${path}/${business.id}`, { key }), 404, 'not_found');
        assertPaddleError(await t().request('GET', path, { key }), 404, 'not_found');
        assertPaddleError(await t().request('POST', path, { key, body: acme }), 404, 'not_found');
        assertPaddleError(
          await t().request('PATCH', `${path}/${business.id}`, { key, body: { name: 'X' } }),
          404,
          'not_found',
        );
      }
      const liveCustomer = await aCustomer(t().keys.live);
      const liveBusiness = await aBusiness(liveCustomer, acme, t().keys.live);
      assert.equal((await eventsFor('business.created', liveBusiness.id))[0]!.environment, 'live');
      assertPaddleError(
        await t().request('GET', `/customers/${liveCustomer}/businesses/${liveBusiness.id}`),
        404,
        'not_found',
      );
      assert.equal((await t().request('GET', `${path}/${business.id}`)).body.data.name, acme.name);
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets, updates, archives and pages through businesses', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const customerId = await aCustomer();
      const created = await paddle.businesses.create(customerId, {
        name: 'SDK Corp',
        companyNumber: 'SC-1',
        taxIdentifier: 'GB999',
        contacts: [{ name: 'Ada', email: 'ada@example.com' }],
        customData: { tier: 'gold' },
      });
      assert.match(created.id, /^biz_/);
      assert.equal(created.customerId, customerId);
      assert.deepEqual(
        created.contacts?.map((c) => c.email),
        ['ada@example.com'],
      );
      const fetched = await paddle.businesses.get(customerId, created.id);
      assert.equal(fetched.taxIdentifier, 'GB999');
      const updated = await paddle.businesses.update(customerId, created.id, {
        name: 'SDK Corp 2',
        companyNumber: null,
      });
      assert.equal(updated.name, 'SDK Corp 2');
      assert.equal(updated.companyNumber, null);
      for (let i = 0; i < 2; i++) await paddle.businesses.create(customerId, { name: `More ${i}` });
      const seen: string[] = [];
      for await (const business of paddle.businesses.list(customerId, { perPage: 2 })) seen.push(business.id);
      assert.equal(seen.length, 3);
      assert.equal(new Set(seen).size, 3);
      const archived = await paddle.businesses.archive(customerId, created.id);
      assert.equal(archived.status, 'archived');
      const archivedList: string[] = [];
      for await (const business of paddle.businesses.list(customerId, { status: ['archived'] }))
        archivedList.push(business.id);
      assert.deepEqual(archivedList, [created.id]);
    });
  });
});
