// The clock advance nobody waits for (issue #10 item 2): answered at once with its state when asked, progress
// shown by GET /test-helpers/clock, API requests answered correctly while it runs, bounded to one year, and
// resumed by a scheduler when the process that drove it stopped or died.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aPaidMonthlyTransaction } from '../../../test/support/builders.js';
import { assertPaddleError } from '../../../test/support/contract.js';
import { runDueWorkOnce } from '../../jobs/scheduler.js';
import { pause } from '../../kernel/clock.js';
import { Temporal, toStoredTime } from '../../kernel/time.js';
import { updateAdvance } from '../sellers/repository.js';
import { AdvanceDrivers } from './clock.js';

interface ClockBody {
  now: string;
  status: 'ready' | 'advancing';
  advancing: { from: string; to: string; progress: number; done: number; failed: number } | null;
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  let sellers = 0;

  async function seller(subscriptions: number) {
    sellers += 1;
    const sellerId = `sel_advance_${sellers}_${dialect}`;
    const { sandbox: key } = await t().createSeller(sellerId);
    const subs: string[] = [];
    for (let i = 0; i < subscriptions; i++) subs.push((await aPaidMonthlyTransaction(t(), key)).subscription_id);
    const request = (method: string, url: string, body?: unknown) =>
      t().request(method, url, { key, ...(body === undefined ? {} : { body }) });
    const clock = async (): Promise<ClockBody> => {
      const res = await request('GET', '/test-helpers/clock');
      assert.equal(res.status, 200, res.text);
      return res.body.data;
    };
    /** Polls the clock until its advance is complete; answers every state seen. */
    const untilReady = async (): Promise<ClockBody[]> => {
      const seen: ClockBody[] = [];
      for (let i = 0; i < 1200; i++) {
        const state = await clock();
        seen.push(state);
        if (state.status === 'ready') return seen;
        await pause(50);
      }
      assert.fail('the advance did not complete within a minute');
    };
    const renewals = async (id: string) =>
      (await request('GET', `/transactions?subscription_id=${id}&origin=subscription_recurring`)).body.data.length;
    return { sellerId, key, subs, request, clock, untilReady, renewals };
  }

  describe('an asynchronous clock advance', () => {
    it('answers at once with its state, shows progress, completes, and API requests are answered meanwhile', async () => {
      const s = await seller(12);
      const before = Temporal.Instant.from((await s.clock()).now);
      const started = await s.request('POST', '/test-helpers/clock/advance', { by: 'P6M', wait: false });
      assert.equal(started.status, 202, started.text);
      const body = started.body.data as ClockBody;
      assert.equal(body.status, 'advancing');
      const target = Temporal.Instant.from(body.advancing!.to);
      const expected = before.toZonedDateTimeISO('UTC').add({ months: 6 }).toInstant();
      assert.ok(Math.abs(target.since(expected).total('seconds')) < 5);
      assert.ok(body.advancing!.progress >= 0 && body.advancing!.progress <= 1);

      // Meanwhile the API answers, and writes land.
      const customer = await s.request('POST', '/customers', { email: `meanwhile-${s.sellerId}@example.com` });
      assert.equal(customer.status, 201, customer.text);
      const read = await s.request('GET', `/customers/${customer.body.data.id}`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.data.email, `meanwhile-${s.sellerId}@example.com`);

      const seen = await s.untilReady();
      const progress = seen.filter((state) => state.advancing).map((state) => state.advancing!.progress);
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
        'progress never goes back',
      );
      const done = seen.at(-1)!;
      assert.equal(done.advancing, null);
      assert.ok(Temporal.Instant.compare(Temporal.Instant.from(done.now), target) >= 0);
      for (const id of s.subs) assert.equal(await s.renewals(id), 6, `${id} renewed once a month`);
    });

    it('waits for completion by default (small advances) and with wait: true', async () => {
      const s = await seller(2);
      const byDefault = await s.request('POST', '/test-helpers/clock/advance', { by: 'P1M' });
      assert.equal(byDefault.status, 200, byDefault.text);
      assert.equal(byDefault.body.data.status, 'ready');
      assert.equal(byDefault.body.data.advancing, null);
      const waited = await s.request('POST', '/test-helpers/clock/advance', { by: 'P2M', wait: true });
      assert.equal(waited.status, 200, waited.text);
      for (const id of s.subs) assert.equal(await s.renewals(id), 3);
    });

    it('a second advance during the first joins it: one advance to the later target', async () => {
      const s = await seller(6);
      const before = Temporal.Instant.from((await s.clock()).now).toZonedDateTimeISO('UTC');
      const months = (n: number) => before.add({ months: n, minutes: 1 }).toInstant().toString();
      const first = await s.request('POST', '/test-helpers/clock/advance', { to: months(2), wait: false });
      assert.equal(first.status, 202, first.text);
      const second = await s.request('POST', '/test-helpers/clock/advance', { to: months(3), wait: true });
      assert.equal(second.status, 200, second.text);
      for (const id of s.subs) assert.equal(await s.renewals(id), 3);
    });

    it('refuses more than one year, and a wait that is not a boolean', async () => {
      const s = await seller(0);
      const over = await s.request('POST', '/test-helpers/clock/advance', { by: 'P1Y1D' });
      assertPaddleError(over, 400, 'invalid_field');
      assert.match(over.text, /at most one year/);
      const now = Temporal.Instant.from((await s.clock()).now);
      assertPaddleError(
        await s.request('POST', '/test-helpers/clock/advance', { to: now.add({ hours: 24 * 367 }).toString() }),
        400,
        'invalid_field',
      );
      assertPaddleError(
        await s.request('POST', '/test-helpers/clock/advance', { by: 'P1D', wait: 'yes' }),
        400,
        'invalid_field',
      );
      assert.equal((await s.request('POST', '/test-helpers/clock/advance', { by: 'P1Y' })).status, 200);
    });

    it('an advance whose process died is resumed by a scheduler once its lease ran out', async () => {
      const s = await seller(3);
      const tenant = { seller_id: s.sellerId, environment: 'sandbox' as const };
      const from = Temporal.Instant.from((await s.clock()).now);
      const target = from.toZonedDateTimeISO('UTC').add({ months: 2 }).toInstant();
      // What a process killed mid-advance leaves: the advance, held by it under a lease that ran out.
      await updateAdvance(t().db, tenant, {
        clock_target_at: toStoredTime(target),
        clock_advance_from: toStoredTime(from),
        clock_advance_owner: 'dead-host:1:0000',
        clock_advance_lease_until: toStoredTime(t().clock.now().subtract({ seconds: 1 })),
      });
      assert.equal((await s.clock()).status, 'advancing');
      const deps = { db: t().db, dialect: t().dialect, wallClock: t().clock, config: t().config, wiring: t().wiring };
      const drivers = new AdvanceDrivers(t().clock);
      await runDueWorkOnce(deps, drivers);
      await s.untilReady();
      await drivers.stop();
      for (const id of s.subs) assert.equal(await s.renewals(id), 2);
      assert.ok(Temporal.Instant.compare(Temporal.Instant.from((await s.clock()).now), target) >= 0);
    });
  });
});
