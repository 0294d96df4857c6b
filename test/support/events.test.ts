// The recorded-events helper the tests share: oldest first, payloads decoded, and each filter narrows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../src/db/database.js';
import type { Environment } from '../../src/db/tables.js';
import { lastEventId, recordedEvents } from './events.js';

describe('recordedEvents', () => {
  let open: OpenDatabase;
  const record = (id: string, type: string, entityId: string, environment: Environment = 'sandbox', seller = 'sel_a') =>
    open.db
      .insertInto('events')
      .values({
        seller_id: seller,
        environment,
        id,
        event_type: type,
        occurred_at: '2026-11-24T10:00:00.000000Z',
        data: JSON.stringify({ id: entityId }),
      })
      .execute();

  before(async () => {
    open = openDatabase('sqlite::memory:');
    await migrateToLatest(open.db);
  });
  after(() => open.close());

  it('answers nothing and an empty mark before any event', async () => {
    assert.deepEqual(await recordedEvents(open), []);
    assert.equal(await lastEventId(open), '');
  });

  it('answers events oldest first, decoded, narrowed by type, entity, seller, environment and mark', async () => {
    await record('evt_2', 'customer.updated', 'ctm_1');
    await record('evt_1', 'customer.created', 'ctm_1');
    await record('evt_3', 'address.created', 'add_1', 'live');
    await record('evt_4', 'customer.created', 'ctm_2', 'sandbox', 'sel_b');
    const ids = async (query: Parameters<typeof recordedEvents>[1]) =>
      (await recordedEvents(open, query)).map((event) => event.id);
    const all = await recordedEvents(open);
    assert.deepEqual(
      all.map((event) => [event.id, event.type, event.data]),
      [
        ['evt_1', 'customer.created', { id: 'ctm_1' }],
        ['evt_2', 'customer.updated', { id: 'ctm_1' }],
        ['evt_3', 'address.created', { id: 'add_1' }],
        ['evt_4', 'customer.created', { id: 'ctm_2' }],
      ],
    );
    assert.deepEqual(await ids({ type: 'customer.created' }), ['evt_1', 'evt_4']);
    assert.deepEqual(await ids({ entityId: 'ctm_1' }), ['evt_1', 'evt_2']);
    assert.deepEqual(await ids({ entityId: ['ctm_2', 'add_1'] }), ['evt_3', 'evt_4']);
    assert.deepEqual(await ids({ sellerId: 'sel_b' }), ['evt_4']);
    assert.deepEqual(await ids({ environment: 'live' }), ['evt_3']);
    assert.deepEqual(await ids({ after: 'evt_2' }), ['evt_3', 'evt_4']);
    assert.equal(await lastEventId(open), 'evt_4');
  });
});
