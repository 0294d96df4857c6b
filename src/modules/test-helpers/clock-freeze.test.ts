// A sandbox clock that stands still: frozen, it reads the same instant however much wall time passes, stamps new
// entities with that instant, and moves only when advanced (staying frozen); unfrozen, it runs on from there.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aCustomer } from '../../../test/support/builders.js';
import { assertPaddleError } from '../../../test/support/contract.js';
import { newSeller, nowAndFrozen } from '../../../test/support/sandboxes.js';
import { Temporal } from '../../kernel/time.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  const clock = (key: string) => t().request('GET', '/test-helpers/clock', { key });
  const post = (key: string, url: string, body: unknown = {}) => t().request('POST', url, { key, body });

  describe('a frozen sandbox clock', () => {
    it('reads the same instant before and after a second of wall time, and stamps entities with it', async () => {
      const seller = await newSeller(t());
      const key = seller.sandbox.api_key;
      const frozen = await post(key, '/test-helpers/clock/freeze');
      assert.equal(frozen.status, 200, frozen.text);
      assert.equal(frozen.body.data.frozen, true);
      const first = await clock(key);
      await sleep(1100);
      const second = await clock(key);
      assert.deepEqual(nowAndFrozen(second.body.data), nowAndFrozen(first.body.data));
      assert.deepEqual(nowAndFrozen(first.body.data), nowAndFrozen(frozen.body.data));
      const customer = await aCustomer(t(), {}, key);
      assert.equal(customer.created_at, first.body.data.now);
    });

    it('moves only by clock/advance, staying frozen; refuses going back; runs again once unfrozen', async () => {
      const seller = await newSeller(t(), { clock: { frozen_at: '2026-05-31T12:00:00Z' } });
      const key = seller.sandbox.api_key;
      const advanced = await post(key, '/test-helpers/clock/advance', { by: 'P1M' });
      assert.deepEqual(nowAndFrozen(advanced.body.data), { now: '2026-06-30T12:00:00Z', frozen: true });
      assert.deepEqual(nowAndFrozen((await clock(key)).body.data), { now: '2026-06-30T12:00:00Z', frozen: true });
      const later = await post(key, '/test-helpers/clock/freeze', { at: '2026-07-01T00:00:00Z' });
      assert.deepEqual(nowAndFrozen(later.body.data), { now: '2026-07-01T00:00:00Z', frozen: true });
      assertPaddleError(
        await post(key, '/test-helpers/clock/freeze', { at: '2026-06-01T00:00:00Z' }),
        400,
        'invalid_field',
      );
      assertPaddleError(await post(key, '/test-helpers/clock/freeze', { at: 'noon' }), 400, 'invalid_field');
      assertPaddleError(
        await post(key, '/test-helpers/clock/freeze', { at: '9950-01-01T00:00:00Z' }),
        400,
        'invalid_field',
      );
      assertPaddleError(await post(key, '/test-helpers/clock/freeze', { when: 'now' }), 400, 'invalid_field');
      const running = await post(key, '/test-helpers/clock/unfreeze');
      assert.equal(running.body.data.frozen, false);
      await sleep(20);
      const now = Temporal.Instant.from((await clock(key)).body.data.now);
      const since = now.since(Temporal.Instant.from('2026-07-01T00:00:00Z')).total('seconds');
      assert.ok(since > 0 && since < 30, `runs on from the frozen instant (${since} s)`);
    });

    it('is one seller’s: another seller’s clock keeps running; live keys and no key are refused', async () => {
      const a = await newSeller(t(), { clock: { frozen_at: '2030-01-01T00:00:00Z' } });
      const b = await newSeller(t());
      const before = (await clock(b.sandbox.api_key)).body.data;
      assert.equal(before.frozen, false);
      await sleep(5);
      assert.notEqual((await clock(b.sandbox.api_key)).body.data.now, before.now);
      assert.equal((await clock(a.sandbox.api_key)).body.data.now, '2030-01-01T00:00:00Z');
      assertPaddleError(await post(t().keys.live, '/test-helpers/clock/freeze'), 403, 'forbidden');
      assertPaddleError(await post(t().keys.live, '/test-helpers/clock/unfreeze'), 403, 'forbidden');
      assertPaddleError(
        await t().request('POST', '/test-helpers/clock/freeze', { key: null, body: {} }),
        403,
        'authentication_missing',
      );
    });
  });
});
