import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { DEFAULT_SELLER_ID } from '../sellers/service.js';
import { recordedEvents } from '../../../test/support/events.js';

const UNKNOWN_CUSTOMER = 'ctm_01h8441jn5pcwrfhwh78jqt8hk';
const UNKNOWN_ADDRESS = 'add_01h8441jn5pcwrfhwh78jqt8hk';

const office = {
  description: 'Head Office',
  first_line: '4050 Jefferson Plaza, 41st Floor',
  city: 'New York',
  postal_code: '10021',
  region: 'NY',
  country_code: 'US',
};

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  let emails = 0;

  async function aCustomer(key?: string): Promise<string> {
    emails += 1;
    const res = await t().request('POST', '/customers', { key, body: { email: `addr-${emails}@example.com` } });
    assert.equal(res.status, 201, res.text);
    return res.body.data.id;
  }

  async function anAddress(customerId: string, body: Record<string, unknown> = office, key?: string) {
    const res = await t().request('POST', `/customers/${customerId}/addresses`, { key, body });
    assert.equal(res.status, 201, res.text);
    return res.body.data;
  }

  async function eventsFor(type: string, id: string) {
    return recordedEvents(t(), { type, entityId: id });
  }

  describe('create, get, update', () => {
    it('creates an address for the customer and records address.created with the entity', async () => {
      const customerId = await aCustomer();
      const created = await t().request('POST', `/customers/${customerId}/addresses`, {
        body: { ...office, custom_data: { crm: 'x1' } },
      });
      assertMatchesSpec('create-address', created);
      const address = created.body.data;
      assert.match(address.id, /^add_[a-z\d]{26}$/);
      assert.equal(address.customer_id, customerId);
      assert.equal(address.status, 'active');
      assert.equal(address.second_line, null);
      assert.equal(address.import_meta, null);
      assert.deepEqual(address.custom_data, { crm: 'x1' });
      assert.equal(address.created_at, address.updated_at);
      const events = await eventsFor('address.created', address.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.data, address);
      assert.equal(events[0]!.seller_id, DEFAULT_SELLER_ID);
      assert.equal(events[0]!.environment, 'sandbox');

      const fetched = await t().request('GET', `/customers/${customerId}/addresses/${address.id}`);
      assertMatchesSpec('get-address', fetched);
      assert.deepEqual(fetched.body.data, address);
    });

    it('needs only a country code (outside the postal-code countries) and fills the rest with null', async () => {
      const customerId = await aCustomer();
      const created = await t().request('POST', `/customers/${customerId}/addresses`, { body: { country_code: 'IE' } });
      assertMatchesSpec('create-address', created);
      for (const field of [
        'description',
        'first_line',
        'second_line',
        'city',
        'postal_code',
        'region',
        'custom_data',
      ]) {
        assert.equal(created.body.data[field], null, field);
      }
    });

    it('updates given fields only, clears with null, and records address.updated with the entity after the change', async () => {
      const customerId = await aCustomer();
      const address = await anAddress(customerId, { ...office, custom_data: { a: 1 } });
      const updated = await t().request('PATCH', `/customers/${customerId}/addresses/${address.id}`, {
        body: { description: null, second_line: 'Suite 9', city: 'Brooklyn' },
      });
      assertMatchesSpec('update-address', updated);
      const data = updated.body.data;
      assert.equal(data.description, null);
      assert.equal(data.second_line, 'Suite 9');
      assert.equal(data.city, 'Brooklyn');
      assert.equal(data.first_line, office.first_line);
      assert.equal(data.postal_code, office.postal_code);
      assert.deepEqual(data.custom_data, { a: 1 });
      assert.equal(data.created_at, address.created_at);
      assert.ok(data.updated_at > address.updated_at);
      const events = await eventsFor('address.updated', address.id);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.data, data);
      const fetched = await t().request('GET', `/customers/${customerId}/addresses/${address.id}`);
      assert.deepEqual(fetched.body.data, data);
    });

    it('archives with PATCH status archived, and unarchives the same way', async () => {
      const customerId = await aCustomer();
      const address = await anAddress(customerId);
      const archived = await t().request('PATCH', `/customers/${customerId}/addresses/${address.id}`, {
        body: { status: 'archived' },
      });
      assertMatchesSpec('update-address', archived);
      assert.equal(archived.body.data.status, 'archived');
      const listed = await t().request('GET', `/customers/${customerId}/addresses`);
      assert.deepEqual(listed.body.data, []);
      const fetched = await t().request('GET', `/customers/${customerId}/addresses/${address.id}`);
      assert.equal(fetched.body.data.status, 'archived');
      const restored = await t().request('PATCH', `/customers/${customerId}/addresses/${address.id}`, {
        body: { status: 'active' },
      });
      assert.equal(restored.body.data.status, 'active');
      const events = await eventsFor('address.updated', address.id);
      assert.deepEqual(
        events.map((event) => event.data.status),
        ['archived', 'active'],
      );
    });
  });

  describe('list', () => {
    it("lists the customer's addresses newest first with cursor pagination and a full next URL", async () => {
      const customerId = await aCustomer();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await anAddress(customerId, { ...office, description: `Office ${i}` })).id);
      await anAddress(await aCustomer()); // another customer's address never shows up

      const first = await t().request('GET', `/customers/${customerId}/addresses?per_page=2`);
      assertMatchesSpec('list-addresses', first);
      assert.deepEqual(
        first.body.data.map((a: { id: string }) => a.id),
        [ids[2], ids[1]],
      );
      assert.equal(first.body.meta.pagination.per_page, 2);
      assert.equal(first.body.meta.pagination.has_more, true);
      assert.equal(first.body.meta.pagination.estimated_total, 3);
      const next = new URL(first.body.meta.pagination.next);
      assert.equal(next.origin, t().baseUrl);
      assert.equal(next.pathname, `/customers/${customerId}/addresses`);
      assert.equal(next.searchParams.get('after'), ids[1]);
      const second = await t().request('GET', `${next.pathname}${next.search}`);
      assertMatchesSpec('list-addresses', second);
      assert.deepEqual(
        second.body.data.map((a: { id: string }) => a.id),
        [ids[0]],
      );
      assert.equal(second.body.meta.pagination.has_more, false);

      const ascending = await t().request('GET', `/customers/${customerId}/addresses?order_by=id[ASC]`);
      assert.deepEqual(
        ascending.body.data.map((a: { id: string }) => a.id),
        ids,
      );
    });

    it('filters by id and status (active by default)', async () => {
      const customerId = await aCustomer();
      const a = await anAddress(customerId);
      const b = await anAddress(customerId);
      const c = await anAddress(customerId);
      await t().request('PATCH', `/customers/${customerId}/addresses/${b.id}`, { body: { status: 'archived' } });

      const active = await t().request('GET', `/customers/${customerId}/addresses`);
      assert.deepEqual(
        active.body.data.map((x: { id: string }) => x.id),
        [c.id, a.id],
      );
      const archived = await t().request('GET', `/customers/${customerId}/addresses?status=archived`);
      assertMatchesSpec('list-addresses', archived);
      assert.deepEqual(
        archived.body.data.map((x: { id: string }) => x.id),
        [b.id],
      );
      const both = await t().request(
        'GET',
        `/customers/${customerId}/addresses?status=active,archived&id=${a.id},${b.id}`,
      );
      assert.deepEqual(
        both.body.data.map((x: { id: string }) => x.id),
        [b.id, a.id],
      );
      const byId = await t().request('GET', `/customers/${customerId}/addresses?id=${c.id}`);
      assert.deepEqual(
        byId.body.data.map((x: { id: string }) => x.id),
        [c.id],
      );
    });

    it('searches the text fields case-insensitively, taking % and _ literally', async () => {
      const customerId = await aCustomer();
      const ny = await anAddress(customerId);
      const berlin = await anAddress(customerId, {
        description: '100% Remote_Team',
        first_line: 'Unter den Linden 1',
        city: 'Berlin',
        postal_code: '10117',
        country_code: 'DE',
      });
      const search = async (term: string) => {
        const res = await t().request('GET', `/customers/${customerId}/addresses?search=${encodeURIComponent(term)}`);
        assertMatchesSpec('list-addresses', res);
        return res.body.data.map((x: { id: string }) => x.id);
      };
      // @NOTE ids are searched too, and a random id may contain a short term such as "ny": such an id matches.
      const matching = (term: string, ...expected: Array<{ id: string }>) =>
        [berlin, ny].filter((a) => expected.includes(a) || a.id.includes(term.toLowerCase())).map((a) => a.id);
      assert.deepEqual(await search('BERLIN'), [berlin.id]);
      assert.deepEqual(await search('jefferson'), [ny.id]);
      assert.deepEqual(await search('1002'), matching('1002', ny));
      assert.deepEqual(await search('101'), matching('101', berlin));
      assert.deepEqual(await search('ny'), matching('ny', ny));
      assert.deepEqual(await search(ny.id), [ny.id]);
      assert.deepEqual(await search('100%'), [berlin.id]);
      assert.deepEqual(await search('_team'), [berlin.id]);
      assert.deepEqual(await search('%'), [berlin.id]);
      assert.deepEqual(await search('n_e'), []); // would match "Unter" if _ were a wildcard
      assert.deepEqual(await search('nowhere'), []);
    });

    it('rejects bad query values', async () => {
      const customerId = await aCustomer();
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/addresses?status=gone`),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/addresses?order_by=city[ASC]`),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/addresses?per_page=0`),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('GET', `/customers/${customerId}/addresses?search=${'x'.repeat(101)}`),
        400,
        'invalid_field',
      );
    });
  });

  describe('validation', () => {
    it('requires country_code and accepts only supported countries', async () => {
      const customerId = await aCustomer();
      const missing = await t().request('POST', `/customers/${customerId}/addresses`, { body: { city: 'Nowhere' } });
      assertPaddleError(missing, 400, 'invalid_field');
      assert.deepEqual(missing.body.error.errors, [{ field: 'country_code', message: 'field is required' }]);
      const unsupported = await t().request('POST', `/customers/${customerId}/addresses`, {
        body: { country_code: 'XX' },
      });
      assertPaddleError(unsupported, 400, 'invalid_field');
      assert.deepEqual(
        unsupported.body.error.errors.map((e: { field: string }) => e.field),
        ['country_code'],
      );
      const lower = await t().request('POST', `/customers/${customerId}/addresses`, {
        body: { country_code: 'us', postal_code: '10021' },
      });
      assertPaddleError(lower, 400, 'invalid_field');
    });

    it('answers one error per field for unknown fields, wrong types and too-long values', async () => {
      const customerId = await aCustomer();
      const res = await t().request('POST', `/customers/${customerId}/addresses`, {
        body: { country_code: 'IE', city: 'x'.repeat(201), region: 5, colour: 'blue' },
      });
      assertPaddleError(res, 400, 'invalid_field');
      const fields = res.body.error.errors.map((e: { field: string }) => e.field).sort();
      assert.deepEqual(fields, ['city', 'colour', 'region']);
      const update = await t().request('PATCH', `/customers/${customerId}/addresses/${UNKNOWN_ADDRESS}`, {
        body: { status: 'deleted' },
      });
      assertPaddleError(update, 400, 'invalid_field');
      assert.deepEqual(
        update.body.error.errors.map((e: { field: string }) => e.field),
        ['status'],
      );
      assertPaddleError(
        await t().request('POST', `/customers/${customerId}/addresses`, { body: '{"country_code": ' }),
        400,
        'invalid_json',
      );
    });

    it('requires a postal code for countries that need one, on create and when an update touches it', async () => {
      const customerId = await aCustomer();
      for (const country of ['US', 'GB', 'CA', 'AU', 'DE']) {
        const res = await t().request('POST', `/customers/${customerId}/addresses`, {
          body: { country_code: country },
        });
        assertPaddleError(res, 400, 'invalid_field');
        assert.deepEqual(res.body.error.errors, [
          { field: 'postal_code', message: `field is required when country_code is ${country}` },
        ]);
      }
      assertPaddleError(
        await t().request('POST', `/customers/${customerId}/addresses`, {
          body: { country_code: 'US', postal_code: '  ' },
        }),
        400,
        'invalid_field',
      );
      const ie = await anAddress(customerId, { country_code: 'IE' });
      const toUs = await t().request('PATCH', `/customers/${customerId}/addresses/${ie.id}`, {
        body: { country_code: 'US' },
      });
      assertPaddleError(toUs, 400, 'invalid_field');
      assert.equal(toUs.body.error.errors[0].field, 'postal_code');
      const toUsWithZip = await t().request('PATCH', `/customers/${customerId}/addresses/${ie.id}`, {
        body: { country_code: 'US', postal_code: '94105' },
      });
      assertMatchesSpec('update-address', toUsWithZip);
      const clearZip = await t().request('PATCH', `/customers/${customerId}/addresses/${ie.id}`, {
        body: { postal_code: null },
      });
      assertPaddleError(clearZip, 400, 'invalid_field');
      const unchanged = await t().request('GET', `/customers/${customerId}/addresses/${ie.id}`);
      assert.equal(unchanged.body.data.postal_code, '94105');
      // failed requests record nothing
      const updates = await eventsFor('address.updated', ie.id);
      assert.equal(updates.length, 1);
    });
  });

  describe('not found', () => {
    it('answers 404 naming the customer when the customer is unknown, for every operation', async () => {
      const base = `/customers/${UNKNOWN_CUSTOMER}/addresses`;
      for (const [method, url, body] of [
        ['GET', base, undefined],
        ['POST', base, office],
        ['GET', `${base}/${UNKNOWN_ADDRESS}`, undefined],
        ['PATCH', `${base}/${UNKNOWN_ADDRESS}`, { city: 'X' }],
      ] as const) {
        const res = await t().request(method, url, { body });
        assertPaddleError(res, 404, 'not_found');
        assert.match(res.body.error.detail, new RegExp(UNKNOWN_CUSTOMER), `${method} ${url}`);
      }
    });

    it('finds an address only through its own customer', async () => {
      const owner = await aCustomer();
      const other = await aCustomer();
      const address = await anAddress(owner);
      const get = await t().request('GET', `/customers/${other}/addresses/${address.id}`);
      assertPaddleError(get, 404, 'not_found');
      assert.match(get.body.error.detail, new RegExp(address.id));
      const patch = await t().request('PATCH', `/customers/${other}/addresses/${address.id}`, {
        body: { city: 'Stolen' },
      });
      assertPaddleError(patch, 404, 'not_found');
      const list = await t().request('GET', `/customers/${other}/addresses?id=${address.id}`);
      assert.deepEqual(list.body.data, []);
      const intact = await t().request('GET', `/customers/${owner}/addresses/${address.id}`);
      assert.equal(intact.body.data.city, office.city);
      assertPaddleError(await t().request('GET', `/customers/${owner}/addresses/${UNKNOWN_ADDRESS}`), 404, 'not_found');
    });

    it('refuses new addresses for an archived customer but still reads and updates existing ones', async () => {
      const customerId = await aCustomer();
      const address = await anAddress(customerId);
      await t().request('PATCH', `/customers/${customerId}`, { body: { status: 'archived' } });
      const res = await t().request('POST', `/customers/${customerId}/addresses`, { body: office });
      assertPaddleError(res, 400, 'entity_archived');
      assert.match(res.body.error.detail, new RegExp(customerId));
      assert.equal((await t().request('GET', `/customers/${customerId}/addresses/${address.id}`)).status, 200);
      const archived = await t().request('PATCH', `/customers/${customerId}/addresses/${address.id}`, {
        body: { status: 'archived' },
      });
      assert.equal(archived.body.data.status, 'archived');
    });
  });

  describe('auth', () => {
    it('needs address.read to read and address.write to write', async () => {
      const customerId = await aCustomer();
      const address = await anAddress(customerId);
      const base = `/customers/${customerId}/addresses`;
      const customerOnly = await t().createKey('sandbox', ['customer.write']);
      assertPaddleError(await t().request('GET', base, { key: customerOnly }), 403, 'forbidden');
      assertPaddleError(await t().request('GET', `${base}/${address.id}`, { key: customerOnly }), 403, 'forbidden');
      const readOnly = await t().createKey('sandbox', ['address.read']);
      assert.equal((await t().request('GET', base, { key: readOnly })).status, 200);
      assert.equal((await t().request('GET', `${base}/${address.id}`, { key: readOnly })).status, 200);
      assertPaddleError(await t().request('POST', base, { key: readOnly, body: office }), 403, 'forbidden');
      assertPaddleError(
        await t().request('PATCH', `${base}/${address.id}`, { key: readOnly, body: { city: 'X' } }),
        403,
        'forbidden',
      );
      const writer = await t().createKey('sandbox', ['address.write']);
      assert.equal((await t().request('POST', base, { key: writer, body: office })).status, 201);
      assert.equal((await t().request('GET', base, { key: writer })).status, 200);
      assertPaddleError(await t().request('GET', base, { key: null }), 403, 'authentication_missing');
    });

    it('keeps sellers and environments apart', async () => {
      const customerId = await aCustomer();
      const address = await anAddress(customerId);
      const path = `/customers/${customerId}/addresses`;
      for (const key of [t().keys.live, (await t().createSeller(`sel_addr_${dialect}`)).sandbox]) {
        assertPaddleError(await t().request('GET', `${path}/${address.id}`, { key }), 404, 'not_found');
        assertPaddleError(await t().request('GET', path, { key }), 404, 'not_found');
        assertPaddleError(await t().request('POST', path, { key, body: office }), 404, 'not_found');
        assertPaddleError(
          await t().request('PATCH', `${path}/${address.id}`, { key, body: { city: 'X' } }),
          404,
          'not_found',
        );
      }
      const liveCustomer = await aCustomer(t().keys.live);
      const liveAddress = await anAddress(liveCustomer, office, t().keys.live);
      const events = await eventsFor('address.created', liveAddress.id);
      assert.equal(events[0]!.environment, 'live');
      assertPaddleError(
        await t().request('GET', `/customers/${liveCustomer}/addresses/${liveAddress.id}`),
        404,
        'not_found',
      );
      const intact = await t().request('GET', `${path}/${address.id}`);
      assert.equal(intact.body.data.city, office.city);
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets, updates, archives and pages through addresses', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const customerId = await aCustomer();
      const created = await paddle.addresses.create(customerId, {
        countryCode: 'GB',
        postalCode: 'SW1A 1AA',
        firstLine: '10 Downing Street',
        city: 'London',
        customData: { team: 'ops' },
      });
      assert.match(created.id, /^add_/);
      assert.equal(created.customerId, customerId);
      assert.equal(created.countryCode, 'GB');
      assert.deepEqual(created.customData, { team: 'ops' });
      const fetched = await paddle.addresses.get(customerId, created.id);
      assert.equal(fetched.postalCode, 'SW1A 1AA');
      const updated = await paddle.addresses.update(customerId, created.id, {
        description: 'No. 10',
        secondLine: null,
      });
      assert.equal(updated.description, 'No. 10');
      assert.equal(updated.city, 'London');
      for (let i = 0; i < 2; i++) await paddle.addresses.create(customerId, { countryCode: 'IE' });
      const seen: string[] = [];
      for await (const address of paddle.addresses.list(customerId, { perPage: 2 })) seen.push(address.id);
      assert.equal(seen.length, 3);
      assert.equal(new Set(seen).size, 3);
      assert.ok(seen.includes(created.id));
      const archived = await paddle.addresses.archive(customerId, created.id);
      assert.equal(archived.status, 'archived');
      const archivedList: string[] = [];
      for await (const address of paddle.addresses.list(customerId, { status: ['archived'] }))
        archivedList.push(address.id);
      assert.deepEqual(archivedList, [created.id]);
    });
  });
});
