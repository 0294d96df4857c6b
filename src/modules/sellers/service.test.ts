// The tenants' clocks as the scheduler and the sandbox clock helper see them: every seller environment with its
// offset, and an offset that only ever moves forward.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest, openDatabase, type OpenDatabase } from '../../db/database.js';
import type { Tenant } from '../../db/tables.js';
import { WallClock } from '../../kernel/clock.js';
import { advanceClockOffset, ensureSeller, tenantClocks } from './service.js';

const sandbox: Tenant = { seller_id: 'sel_a', environment: 'sandbox' };

describe('tenant clocks', () => {
  let open: OpenDatabase;
  before(async () => {
    open = openDatabase('sqlite::memory:');
    await migrateToLatest(open.db);
    await ensureSeller(open.db, new WallClock(), 'sel_a', 'Seller A');
    await ensureSeller(open.db, new WallClock(), 'sel_b', 'Seller B');
  });
  after(() => open.close());

  const offsets = async () =>
    new Map(
      (await tenantClocks(open.db)).map((c) => [`${c.tenant.seller_id}/${c.tenant.environment}`, c.clockOffsetMicros]),
    );

  it('lists every seller environment, each starting on the wall clock', async () => {
    assert.deepEqual(
      await offsets(),
      new Map([
        ['sel_a/live', 0n],
        ['sel_a/sandbox', 0n],
        ['sel_b/live', 0n],
        ['sel_b/sandbox', 0n],
      ]),
    );
  });

  it('moves one tenant’s offset forward and never back', async () => {
    assert.equal(await advanceClockOffset(open.db, open.dialect, sandbox, 86_400_000_000n), 86_400_000_000n);
    assert.equal(await advanceClockOffset(open.db, open.dialect, sandbox, 1_000_000n), 86_400_000_000n);
    const now = await offsets();
    assert.equal(now.get('sel_a/sandbox'), 86_400_000_000n);
    assert.equal(now.get('sel_b/sandbox'), 0n);
    assert.equal(now.get('sel_a/live'), 0n);
  });
});
