// Authenticating a presented API key: the holder of an active key; nothing for unknown, revoked or expired keys,
// including a key that was active (and kept in memory) when it was last presented.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../db/database.js';
import type { Tenant } from '../../db/tables.js';
import { WallClock } from '../../kernel/clock.js';
import { aCustomerRow } from '../../../test/support/builders.js';
import { ensureSeller } from '../sellers/service.js';
import { authenticateKey, createApiKey, revokeKey } from './service.js';

const sandbox: Tenant = { seller_id: 'sel_a', environment: 'sandbox' };
const clock = new WallClock();
const at = (stored: string) => () => stored;

describe('authenticateKey', () => {
  let open: OpenDatabase;
  before(async () => {
    open = openDatabase('sqlite::memory:');
    await migrateToLatest(open.db);
    await ensureSeller(open.db, clock, 'sel_a', 'Seller A');
  });
  after(() => open.close());

  it('answers the holder of an active key: tenant, key id and permissions', async () => {
    const key = await createApiKey(open.db, clock, sandbox, { name: 'k', permissions: ['product.read'] });
    const holder = await authenticateKey(open.db, key.key, at('2026-01-01T00:00:00.000000Z'));
    assert.deepEqual(holder?.tenant, sandbox);
    assert.equal(holder?.apiKeyId, key.id);
    assert.deepEqual(holder?.permissions, ['product.read']);
    assert.equal(holder?.clockOffsetMicros, 0n);
  });

  it('answers nothing for an unknown key', async () => {
    const unknown = 'pdl_sdbx_apikey_01h0000000000000000000000a_AbCdEfGhIjKlMnOpQrStUv_AbC';
    assert.equal(await authenticateKey(open.db, unknown, at('2026-01-01T00:00:00.000000Z')), undefined);
  });

  it('answers nothing once the key is revoked, though it was read before', async () => {
    const key = await createApiKey(open.db, clock, sandbox, { name: 'k', permissions: ['product.read'] });
    assert.ok(await authenticateKey(open.db, key.key, at('2026-01-01T00:00:00.000000Z')));
    assert.equal(await revokeKey(open.db, clock, sandbox, key.id), true);
    assert.equal(await authenticateKey(open.db, key.key, at('2026-01-01T00:00:00.000000Z')), undefined);
  });

  it('keeps a holder across writes to other tables, and reads it anew after a write to the key’s tenant', async () => {
    const key = await createApiKey(open.db, clock, sandbox, { name: 'k', permissions: ['product.read'] });
    const now = at('2026-01-01T00:00:00.000000Z');
    const first = await authenticateKey(open.db, key.key, now);
    await open.db.insertInto('customers').values(aCustomerRow(sandbox, 'ctm_kept_key')).execute();
    assert.equal(await authenticateKey(open.db, key.key, now), first, 'kept across a customer insert');
    await open.db
      .updateTable('seller_environments')
      .set({ clock_offset_us: 5_000_000n })
      .where('seller_id', '=', sandbox.seller_id)
      .where('environment', '=', sandbox.environment)
      .execute();
    assert.equal((await authenticateKey(open.db, key.key, now))?.clockOffsetMicros, 5_000_000n);
  });

  it('answers nothing at or after the key’s expiry', async () => {
    const key = await createApiKey(open.db, clock, sandbox, { name: 'k', permissions: ['product.read'] });
    await open.db
      .updateTable('api_keys')
      .set({ expires_at: '2026-06-01T00:00:00.000000Z' })
      .where('id', '=', key.id)
      .execute();
    assert.ok(await authenticateKey(open.db, key.key, at('2026-05-31T23:59:59.999999Z')));
    assert.equal(await authenticateKey(open.db, key.key, at('2026-06-01T00:00:00.000000Z')), undefined);
  });
});
