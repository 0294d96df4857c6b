// The tenants' clocks as the scheduler and the sandbox clock helper see them: every seller environment with its
// offset, and an offset that only ever moves forward.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { OpenDatabase } from '../../db/database.js';
import { useMigratedDatabase } from '../../../test/support/app.js';
import type { Tenant } from '../../db/tables.js';
import { FixedClock, WallClock } from '../../kernel/clock.js';
import { Temporal } from '../../kernel/time.js';
import { ensureSeller, moveTenantClock, resetTenant, setTenantClockFrozen, tenantClocks } from './service.js';

const sandbox: Tenant = { seller_id: 'sel_a', environment: 'sandbox' };

/** A migrated SQLite database of the enclosing describe block, with the sellers sel_a and sel_b. */
function useTwoSellers(): () => OpenDatabase {
  const database = useMigratedDatabase('sqlite');
  before(async () => {
    await ensureSeller(database().db, new WallClock(), 'sel_a', 'Seller A');
    await ensureSeller(database().db, new WallClock(), 'sel_b', 'Seller B');
  });
  return database;
}

describe('tenant clocks', () => {
  const database = useTwoSellers();

  const offsets = async () =>
    new Map(
      (await tenantClocks(database().db)).map((c) => [
        `${c.tenant.seller_id}/${c.tenant.environment}`,
        c.clockOffsetMicros,
      ]),
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
    const wall = new FixedClock(Temporal.Instant.from('2026-11-29T12:00:00Z'));
    const dayLater = Temporal.Instant.from('2026-11-30T12:00:00Z');
    assert.equal(
      (await moveTenantClock(database().db, database().dialect, sandbox, wall, dayLater)).now().toString(),
      dayLater.toString(),
    );
    const back = await moveTenantClock(
      database().db,
      database().dialect,
      sandbox,
      wall,
      wall.now().add({ seconds: 1 }),
    );
    assert.equal(back.now().toString(), dayLater.toString());
    const now = await offsets();
    assert.equal(now.get('sel_a/sandbox'), 86_400_000_000n);
    assert.equal(now.get('sel_b/sandbox'), 0n);
    assert.equal(now.get('sel_a/live'), 0n);
  });
});

describe('a frozen tenant clock', () => {
  const database = useMigratedDatabase('sqlite');
  const wall = new FixedClock(Temporal.Instant.from('2026-11-29T12:00:00Z'));
  before(async () => {
    await ensureSeller(database().db, new WallClock(), 'sel_a', 'Seller A');
  });

  const state = async () => (await tenantClocks(database().db)).find((c) => c.tenant.environment === 'sandbox')!;

  it('stands at an instant, moves only forward when advanced, and resumes from where it stood', async () => {
    const at = Temporal.Instant.from('2027-01-01T00:00:00Z');
    const frozen = await setTenantClockFrozen(database().db, database().dialect, sandbox, wall, { at });
    assert.equal(frozen?.now().toString(), at.toString());
    assert.equal((await state()).clockFrozenAt, '2027-01-01T00:00:00.000000Z');
    wall.set(wall.now().add({ hours: 1 }));
    const moved = await moveTenantClock(database().db, database().dialect, sandbox, wall, at.add({ hours: 2 }));
    assert.equal(moved.now().toString(), '2027-01-01T02:00:00Z');
    assert.equal((await state()).clockFrozenAt, '2027-01-01T02:00:00.000000Z', 'still frozen, at the new instant');
    const backwards = await setTenantClockFrozen(database().db, database().dialect, sandbox, wall, { at });
    assert.equal(backwards, undefined, 'refused: before the current instant');
    const running = await setTenantClockFrozen(database().db, database().dialect, sandbox, wall, null);
    assert.equal(running?.now().toString(), '2027-01-01T02:00:00Z');
    assert.equal((await state()).clockFrozenAt, null);
    wall.set(wall.now().add({ minutes: 5 }));
    const later = await state();
    assert.equal(
      Temporal.Instant.fromEpochNanoseconds(wall.now().epochNanoseconds + later.clockOffsetMicros * 1000n).toString(),
      '2027-01-01T02:05:00Z',
      'runs with the wall clock again',
    );
  });
});

describe('resetting a tenant on SQLite', () => {
  const database = useTwoSellers();

  const product = (sellerId: string, id: string) => ({
    seller_id: sellerId,
    environment: 'sandbox' as const,
    id,
    name: 'Product',
    description: null,
    type: 'standard',
    tax_category: 'standard',
    image_url: null,
    custom_data: null,
    import_meta: null,
    status: 'active',
    created_at: '2026-01-01T00:00:00.000000Z',
    updated_at: '2026-01-01T00:00:00.000000Z',
  });
  const productIds = async () =>
    (await database().db.selectFrom('products').select('id').orderBy('id').execute()).map((row) => row.id);

  it('writes at once, and waits behind a transaction another request holds open instead of joining it', async () => {
    await database()
      .db.insertInto('products')
      .values([product('sel_a', 'pro_1'), product('sel_b', 'pro_2')])
      .execute();
    assert.equal((await resetTenant(database().db, 'sqlite', sandbox)).products, 1);
    assert.deepEqual(await productIds(), ['pro_2']);

    await database().db.insertInto('products').values(product('sel_a', 'pro_3')).execute();
    // Another request's transaction, open across an await: the reset must neither join it nor see its rows.
    const other = await database().db.startTransaction().execute();
    await other.insertInto('products').values(product('sel_a', 'pro_4')).execute();
    const reset = resetTenant(database().db, 'sqlite', sandbox);
    await other.rollback().execute();
    assert.equal((await reset).products, 1, 'pro_3 only: pro_4 was rolled back with its transaction');
    assert.deepEqual(await productIds(), ['pro_2']);
  });
});
