import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { assertPaddleError } from '../../../test/support/contract.js';
import { Temporal } from '../../kernel/time.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function now(key = t().keys.sandbox): Promise<Temporal.Instant> {
    const res = await t().request('GET', '/test-helpers/clock', { key });
    assert.equal(res.status, 200, res.text);
    return Temporal.Instant.from(res.body.data.now);
  }

  describe('sandbox clock', () => {
    it('starts at the wall clock and keeps running', async () => {
      const first = await now();
      const wall = t().clock.now();
      assert.ok(Math.abs(Number(first.until(wall).total('seconds'))) < 5);
      const second = await now();
      assert.ok(Temporal.Instant.compare(second, first) > 0);
    });

    it('advances by a calendar duration and to an instant, and stamps new entities with sandbox time', async () => {
      const before = await now();
      const moved = await t().request('POST', '/test-helpers/clock/advance', { body: { by: 'P1M' } });
      assert.equal(moved.status, 200, moved.text);
      const after = Temporal.Instant.from(moved.body.data.now);
      const expected = before.toZonedDateTimeISO('UTC').add({ months: 1 }).toInstant();
      assert.ok(Number(expected.until(after).total('seconds')) >= 0);
      assert.ok(Number(expected.until(after).total('seconds')) < 5);

      const target = after.add({ hours: 50 }).round({ smallestUnit: 'second', roundingMode: 'ceil' });
      const to = await t().request('POST', '/test-helpers/clock/advance', { body: { to: target.toString() } });
      assert.equal(to.status, 200, to.text);
      assert.ok(Temporal.Instant.compare(Temporal.Instant.from(to.body.data.now), target) >= 0);

      const customer = await t().request('POST', '/customers', { body: { email: 'future@example.com' } });
      assert.ok(Temporal.Instant.compare(Temporal.Instant.from(customer.body.data.created_at), target) >= 0);
    });

    it('never moves backwards and rejects bad input', async () => {
      const past = (await now()).subtract({ hours: 1 }).toString();
      assertPaddleError(
        await t().request('POST', '/test-helpers/clock/advance', { body: { to: past } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('POST', '/test-helpers/clock/advance', { body: { by: '-P1D' } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('POST', '/test-helpers/clock/advance', { body: { by: 'one month' } }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await t().request('POST', '/test-helpers/clock/advance', { body: { to: 'yesterday' } }),
        400,
        'invalid_field',
      );
      assertPaddleError(await t().request('POST', '/test-helpers/clock/advance', { body: {} }), 400, 'invalid_field');
    });

    it('is one clock per seller sandbox; live keys are refused and live time is the wall clock', async () => {
      const other = await t().createSeller(`sel_clock_${dialect}`);
      await t().request('POST', '/test-helpers/clock/advance', { body: { by: 'P1Y' } });
      const mine = await now();
      const theirs = await now(other.sandbox);
      assert.ok(Number(theirs.until(mine).total('days')) > 300);
      assertPaddleError(await t().request('GET', '/test-helpers/clock', { key: t().keys.live }), 403, 'forbidden');
      assertPaddleError(
        await t().request('POST', '/test-helpers/clock/advance', { key: t().keys.live, body: { by: 'P1D' } }),
        403,
        'forbidden',
      );
      const live = await t().request('POST', '/customers', {
        key: t().keys.live,
        body: { email: 'live-now@example.com' },
      });
      const created = Temporal.Instant.from(live.body.data.created_at);
      assert.ok(Math.abs(Number(created.until(t().clock.now()).total('seconds'))) < 5);
    });

    it('needs an API key', async () => {
      assertPaddleError(await t().request('GET', '/test-helpers/clock', { key: null }), 403, 'authentication_missing');
    });
  });
});
