import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp, type TestApp } from '../../../test/support/app.js';
import { aDiscount } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((entity) => entity.id);
const unique = (prefix: string) => `${prefix} ${Math.random().toString(36).slice(2, 10)}`;

async function aGroup(t: TestApp, name = unique('Group'), key?: string) {
  const res = await t.request('POST', '/discount-groups', { body: { name }, ...(key ? { key } : {}) });
  assertMatchesSpec('create-discount-group', res);
  return res.body.data;
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('create, get, update, archive', () => {
    it('creates an active group, reads it back, renames and archives it, with its events', async () => {
      const name = unique('Black Friday');
      const created = await t().request('POST', '/discount-groups', { body: { name } });
      assertMatchesSpec('create-discount-group', created);
      assert.equal(created.status, 201);
      const group = created.body.data;
      assert.match(group.id, /^dsg_[a-z\d]{26}$/);
      assert.deepEqual(
        { ...group, id: undefined, created_at: undefined, updated_at: undefined },
        { id: undefined, name, status: 'active', import_meta: null, created_at: undefined, updated_at: undefined },
      );
      assert.equal(group.created_at, group.updated_at);

      const fetched = await t().request('GET', `/discount-groups/${group.id}`);
      assertMatchesSpec('get-discount-group', fetched);
      assert.deepEqual(fetched.body.data, group);

      const renamed = await t().request('PATCH', `/discount-groups/${group.id}`, { body: { name: `${name} v2` } });
      assertMatchesSpec('update-discount-group', renamed);
      assert.equal(renamed.body.data.name, `${name} v2`);
      assert.equal(renamed.body.data.status, 'active');

      const archived = await t().request('PATCH', `/discount-groups/${group.id}`, { body: { status: 'archived' } });
      assertMatchesSpec('update-discount-group', archived);
      assert.equal(archived.body.data.status, 'archived');
      assert.equal(archived.body.data.name, `${name} v2`);

      const events = await recordedEvents(t(), { entityId: group.id });
      assert.deepEqual(
        events.map((event) => event.type),
        ['discount_group.created', 'discount_group.updated', 'discount_group.updated'],
      );
      assert.deepEqual(events[0]?.data, group);
      assert.deepEqual(events[2]?.data, archived.body.data);
    });

    it('refuses a name another group of the tenant has (409 discount_group_name_conflict), archived ones too', async () => {
      const first = await aGroup(t(), unique('Spring'));
      const second = await aGroup(t(), unique('Summer'));
      const clash = await t().request('POST', '/discount-groups', { body: { name: first.name } });
      assertPaddleError(clash, 409, 'discount_group_name_conflict');
      assertMatchesSpec('create-discount-group', clash);
      assert.equal(
        clash.body.error.detail,
        `Discount group name conflicts with the name of the discount group: ${first.id}`,
      );
      const renamed = await t().request('PATCH', `/discount-groups/${second.id}`, { body: { name: first.name } });
      assertPaddleError(renamed, 409, 'discount_group_name_conflict');
      assertMatchesSpec('update-discount-group', renamed);
      // Its own name is no conflict; an archived group keeps its name taken.
      assert.equal(
        (await t().request('PATCH', `/discount-groups/${first.id}`, { body: { name: first.name } })).status,
        200,
      );
      await t().request('PATCH', `/discount-groups/${first.id}`, { body: { status: 'archived' } });
      assertPaddleError(
        await t().request('POST', '/discount-groups', { body: { name: first.name } }),
        409,
        'discount_group_name_conflict',
      );
      assert.equal((await t().request('GET', `/discount-groups/${second.id}`)).body.data.name, second.name);
    });

    it('gives a name to one of several groups created with it at once; the others are 409', async () => {
      const name = unique('Race');
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => t().request('POST', '/discount-groups', { body: { name } })),
      );
      assert.deepEqual(answers.map((res) => res.status).sort(), [201, 409, 409, 409, 409, 409]);
      for (const res of answers.filter((answer) => answer.status === 409))
        assertPaddleError(res, 409, 'discount_group_name_conflict');
      const listed = await t().request('GET', '/discount-groups?per_page=200');
      assert.equal(listed.body.data.filter((group: { name: string }) => group.name === name).length, 1);
    });

    it('an archived group accepts no change but being made active again', async () => {
      const group = await aGroup(t());
      await t().request('PATCH', `/discount-groups/${group.id}`, { body: { status: 'archived' } });
      const events = (await recordedEvents(t(), { entityId: group.id })).length;
      const refused = await t().request('PATCH', `/discount-groups/${group.id}`, { body: { name: unique('Other') } });
      assertPaddleError(refused, 400, 'entity_archived');
      assert.equal((await t().request('GET', `/discount-groups/${group.id}`)).body.data.name, group.name);
      assert.equal((await recordedEvents(t(), { entityId: group.id })).length, events, 'no event for a refusal');
      const restored = await t().request('PATCH', `/discount-groups/${group.id}`, {
        body: { status: 'active', name: `${group.name} again` },
      });
      assert.equal(restored.body.data.status, 'active');
      assert.equal(restored.body.data.name, `${group.name} again`);
    });

    it('refuses bodies and ids the spec does not allow, and answers 404 for groups it does not have', async () => {
      for (const body of [{}, { name: '' }, { name: 'x'.repeat(501) }, { name: 'ok', status: 'active' }]) {
        const res = await t().request('POST', '/discount-groups', { body });
        assertPaddleError(res, 400, 'invalid_field');
        assertMatchesSpec('create-discount-group', res);
      }
      const group = await aGroup(t());
      for (const body of [{ status: 'expired' }, { name: null }, { id: 'dsg_01gtf15svsqzgp9325ss4ebmwt' }]) {
        assertPaddleError(await t().request('PATCH', `/discount-groups/${group.id}`, { body }), 400, 'invalid_field');
      }
      const missing = await t().request('GET', '/discount-groups/dsg_01gtf15svsqzgp9325ss4ebmwt');
      assertPaddleError(missing, 404, 'not_found');
      assertMatchesSpec('get-discount-group', missing);
      assertPaddleError(
        await t().request('PATCH', '/discount-groups/dsg_01gtf15svsqzgp9325ss4ebmwt', { body: { name: 'x' } }),
        404,
        'not_found',
      );
    });
  });

  describe('webhooks', () => {
    it('notifies destinations subscribed to discount_group.created and discount_group.updated', async () => {
      const seller = await t().createSeller(`sel_dsg_hooks_${dialect}`);
      const key = seller.sandbox;
      const setting = await t().request('POST', '/notification-settings', {
        key,
        body: {
          description: 'groups',
          type: 'url',
          destination: 'https://example.com/paddle',
          subscribed_events: ['discount_group.created', 'discount_group.updated'],
        },
      });
      assertMatchesSpec('create-notification-setting', setting);
      assert.deepEqual(
        setting.body.data.subscribed_events.map((type: { name: string; group: string }) => [type.name, type.group]),
        [
          ['discount_group.created', 'Discount group'],
          ['discount_group.updated', 'Discount group'],
        ],
      );
      const group = await aGroup(t(), unique('Hooked'), key);
      await t().request('PATCH', `/discount-groups/${group.id}`, { key, body: { status: 'archived' } });
      const notifications = await t().request('GET', '/notifications?order_by=id[ASC]', { key });
      assertMatchesSpec('list-notifications', notifications);
      assert.deepEqual(
        notifications.body.data.map((notification: { type: string; payload: { data: { id: string } } }) => [
          notification.type,
          notification.payload.data.id,
        ]),
        [
          ['discount_group.created', group.id],
          ['discount_group.updated', group.id],
        ],
      );
      const events = await t().request('GET', '/events?event_type=discount_group.updated', { key });
      assertMatchesSpec('list-events', events);
      assert.equal(events.body.data[0].data.status, 'archived');
    });
  });

  describe('list', () => {
    it('lists groups of every status, newest first, by id, and pages with a cursor', async () => {
      const seller = await t().createSeller(`sel_dsg_list_${dialect}`);
      const key = seller.sandbox;
      const made = [];
      for (const name of ['Alpha', 'Beta', 'Gamma']) made.push(await aGroup(t(), name, key));
      await t().request('PATCH', `/discount-groups/${made[1]?.id}`, { key, body: { status: 'archived' } });
      const all = await t().request('GET', '/discount-groups', { key });
      assertMatchesSpec('list-discount-groups', all);
      assert.deepEqual(ids(all), made.map((group) => group.id).reverse(), 'archived groups are listed too');

      const ascending = await t().request('GET', '/discount-groups?order_by=created_at[ASC]', { key });
      assert.deepEqual(
        ids(ascending),
        made.map((group) => group.id),
      );
      const picked = await t().request('GET', `/discount-groups?id=${made[0]?.id},${made[2]?.id}`, { key });
      assert.deepEqual(ids(picked), [made[2]?.id, made[0]?.id]);

      const first = await t().request('GET', '/discount-groups?per_page=2', { key });
      assertMatchesSpec('list-discount-groups', first);
      assert.deepEqual(ids(first), [made[2]?.id, made[1]?.id]);
      assert.equal(first.body.meta.pagination.has_more, true);
      assert.equal(first.body.meta.pagination.estimated_total, 3);
      const next = new URL(first.body.meta.pagination.next);
      assert.equal(next.pathname, '/discount-groups');
      const second = await t().request('GET', `${next.pathname}${next.search}`, { key });
      assertMatchesSpec('list-discount-groups', second);
      assert.deepEqual(ids(second), [made[0]?.id]);
      assert.equal(second.body.meta.pagination.has_more, false);

      assertPaddleError(await t().request('GET', '/discount-groups?order_by=name[ASC]', { key }), 400, 'invalid_field');
    });
  });

  describe('discounts in a group', () => {
    it('puts a discount in a group on create and update, filters by group, and includes the group', async () => {
      const group = await aGroup(t());
      const other = await aGroup(t());
      const created = await t().request('POST', '/discounts', {
        body: { description: 'Grouped', type: 'percentage', amount: '15', discount_group_id: group.id },
      });
      assertMatchesSpec('create-discount', created);
      const discount = created.body.data;
      assert.equal(discount.discount_group_id, group.id);
      assert.equal('discount_group' in discount, false, 'the group itself only on include');
      const loose = await aDiscount(t());
      assert.equal(loose.discount_group_id, null);

      const included = await t().request('GET', `/discounts/${discount.id}?include=discount_group`);
      assertMatchesSpec('get-discount', included);
      assert.deepEqual(included.body.data.discount_group, group);
      const plain = await t().request('GET', `/discounts/${discount.id}`);
      assert.equal('discount_group' in plain.body.data, false);
      const looseIncluded = await t().request('GET', `/discounts/${loose.id}?include=discount_group`);
      assert.equal(looseIncluded.body.data.discount_group, null);

      const filtered = await t().request('GET', `/discounts?discount_group_id=${group.id}&include=discount_group`);
      assertMatchesSpec('list-discounts', filtered);
      assert.deepEqual(ids(filtered), [discount.id]);
      assert.deepEqual(filtered.body.data[0].discount_group, group);

      const moved = await t().request('PATCH', `/discounts/${discount.id}`, { body: { discount_group_id: other.id } });
      assertMatchesSpec('update-discount', moved);
      assert.equal(moved.body.data.discount_group_id, other.id);
      const both = await t().request('GET', `/discounts?discount_group_id=${group.id},${other.id}`);
      assert.deepEqual(ids(both), [discount.id]);
      assert.deepEqual(ids(await t().request('GET', `/discounts?discount_group_id=${group.id}`)), []);

      // A discount keeps its group when the group is archived, and shows it archived.
      await t().request('PATCH', `/discount-groups/${other.id}`, { body: { status: 'archived' } });
      const kept = await t().request('PATCH', `/discounts/${discount.id}`, { body: { description: 'Still grouped' } });
      assert.equal(kept.body.data.discount_group_id, other.id);
      const shown = await t().request('GET', `/discounts/${discount.id}?include=discount_group`);
      assert.equal(shown.body.data.discount_group.status, 'archived');

      const cleared = await t().request('PATCH', `/discounts/${discount.id}`, { body: { discount_group_id: null } });
      assert.equal(cleared.body.data.discount_group_id, null);
      const [updatedEvent] = (await recordedEvents(t(), { type: 'discount.updated', entityId: discount.id })).slice(-1);
      assert.equal(updatedEvent?.data.discount_group_id, null);
      const [createdEvent] = await recordedEvents(t(), { type: 'discount.created', entityId: discount.id });
      assert.equal(createdEvent?.data.discount_group_id, group.id);
    });

    it('refuses a group that is unknown, another tenant’s or archived, and a malformed id, changing nothing', async () => {
      const seller = await t().createSeller(`sel_dsg_refuse_${dialect}`);
      const foreign = await aGroup(t(), unique('Foreign'), seller.sandbox);
      const archived = await aGroup(t());
      await t().request('PATCH', `/discount-groups/${archived.id}`, { body: { status: 'archived' } });
      const body = (discount_group_id: string) => ({
        description: 'Refused',
        type: 'percentage',
        amount: '5',
        discount_group_id,
      });
      const before = await recordedEvents(t(), { type: 'discount.created' });

      const unknown = await t().request('POST', '/discounts', { body: body('dsg_01gtf15svsqzgp9325ss4ebmwt') });
      assertPaddleError(unknown, 404, 'not_found');
      assertMatchesSpec('create-discount', unknown);
      assertPaddleError(await t().request('POST', '/discounts', { body: body(foreign.id) }), 404, 'not_found');
      assertPaddleError(await t().request('POST', '/discounts', { body: body(archived.id) }), 400, 'entity_archived');
      assertPaddleError(await t().request('POST', '/discounts', { body: body('grp_1') }), 400, 'invalid_field');
      assert.equal((await recordedEvents(t(), { type: 'discount.created' })).length, before.length);

      const discount = await aDiscount(t());
      for (const [id, status, code] of [
        [foreign.id, 404, 'not_found'],
        [archived.id, 400, 'entity_archived'],
        ['nope', 400, 'invalid_field'],
      ] as const) {
        const res = await t().request('PATCH', `/discounts/${discount.id}`, { body: { discount_group_id: id } });
        assertPaddleError(res, status, code);
      }
      assert.equal((await t().request('GET', `/discounts/${discount.id}`)).body.data.discount_group_id, null);
      assertPaddleError(await t().request('GET', '/discounts?include=product'), 400, 'invalid_field');
    });
  });

  describe('auth and isolation', () => {
    it('needs discount.read to read and discount.write to write, as Paddle documents', async () => {
      const group = await aGroup(t());
      assertPaddleError(await t().request('GET', '/discount-groups', { key: null }), 403, 'authentication_missing');
      const reader = await t().createKey('sandbox', ['discount.read']);
      assert.equal((await t().request('GET', `/discount-groups/${group.id}`, { key: reader })).status, 200);
      assert.equal((await t().request('GET', '/discount-groups', { key: reader })).status, 200);
      const refused = await t().request('POST', '/discount-groups', { key: reader, body: { name: unique('No') } });
      assertPaddleError(refused, 403, 'forbidden');
      assertMatchesSpec('create-discount-group', refused);
      assertPaddleError(
        await t().request('PATCH', `/discount-groups/${group.id}`, { key: reader, body: { status: 'archived' } }),
        403,
        'forbidden',
      );
      const other = await t().createKey('sandbox', ['product.write']);
      assertPaddleError(await t().request('GET', `/discount-groups/${group.id}`, { key: other }), 403, 'forbidden');
      assertPaddleError(await t().request('GET', '/discount-groups', { key: other }), 403, 'forbidden');
      const writer = await t().createKey('sandbox', ['discount.write']);
      assert.equal((await t().request('GET', '/discount-groups', { key: writer })).status, 200, 'write implies read');
      assert.equal((await t().request('GET', `/discount-groups/${group.id}`)).body.data.status, 'active');
    });

    it('keeps sellers and environments apart', async () => {
      const group = await aGroup(t());
      assertPaddleError(
        await t().request('GET', `/discount-groups/${group.id}`, { key: t().keys.live }),
        404,
        'not_found',
      );
      const seller = await t().createSeller(`sel_dsg_apart_${dialect}`);
      assertPaddleError(
        await t().request('PATCH', `/discount-groups/${group.id}`, { key: seller.sandbox, body: { name: 'Mine' } }),
        404,
        'not_found',
      );
      assert.deepEqual((await t().request('GET', '/discount-groups', { key: seller.sandbox })).body.data, []);
      // The same name is free in another tenant.
      assert.equal((await aGroup(t(), group.name, seller.sandbox)).name, group.name);
      assert.equal((await aGroup(t(), group.name, t().keys.live)).name, group.name);
    });
  });

  describe('official Node SDK', () => {
    it('creates, gets, updates, lists and archives discount groups, and groups discounts', async () => {
      const paddle = new Paddle(t().keys.sandbox, { environment: t().baseUrl as never });
      const name = unique('SDK group');
      const created = await paddle.discountGroups.create({ name });
      assert.match(created.id, /^dsg_/);
      assert.equal(created.status, 'active');
      assert.equal(created.importMeta, null);
      assert.equal((await paddle.discountGroups.get(created.id)).name, name);
      const renamed = await paddle.discountGroups.update(created.id, { name: `${name} renamed` });
      assert.equal(renamed.name, `${name} renamed`);

      const discount = await paddle.discounts.create({
        description: 'SDK grouped',
        type: 'percentage',
        amount: '20',
        discountGroupId: created.id,
      });
      assert.equal(discount.discountGroupId, created.id);
      const withGroup = await paddle.discounts.get(discount.id, { include: ['discount_group'] });
      assert.equal(withGroup.discountGroup?.id, created.id);
      assert.equal(withGroup.discountGroup?.name, `${name} renamed`);
      const grouped: string[] = [];
      for await (const item of paddle.discounts.list({ discountGroupId: [created.id] })) grouped.push(item.id);
      assert.deepEqual(grouped, [discount.id]);

      const seen: string[] = [];
      for await (const item of paddle.discountGroups.list({ id: [created.id], perPage: 1 })) seen.push(item.id);
      assert.deepEqual(seen, [created.id]);
      const archived = await paddle.discountGroups.archive(created.id);
      assert.equal(archived.status, 'archived');
      await assert.rejects(
        paddle.discountGroups.create({ name: `${name} renamed` }),
        (error: { code?: string }) => error.code === 'discount_group_name_conflict',
      );
    });
  });
});
