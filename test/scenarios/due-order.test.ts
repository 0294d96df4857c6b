// Due work at its own instant and in time order, whoever runs it (issue #10): an advance that starts while work is
// already overdue (the sandbox clock kept running, or a process died mid-advance and left everything after it
// undone), the scheduler catching up after a restart, and the scheduler of another process running while an
// advance is in progress. Every renewal, retry and dunning cancellation must carry the instant it fell due.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp, type TestApp } from '../support/app.js';
import { aPaidMonthlyTransaction } from '../support/builders.js';
import { sellerAt } from '../support/subscriptions.js';
import { lastEventId, recordedEvents } from '../support/events.js';
import { Temporal } from '../../src/kernel/time.js';
import { runDueWorkOnce } from '../../src/jobs/scheduler.js';
import { updateClockOffset } from '../../src/modules/sellers/repository.js';
import { tenantClocks } from '../../src/modules/sellers/service.js';

const DECLINES_LATER = '4000 0027 6000 3184';
const instant = (wire: string) => Temporal.Instant.from(wire);
const addMonths = (at: Temporal.Instant, months: number) => at.toZonedDateTimeISO('UTC').add({ months }).toInstant();
const addDays = (at: Temporal.Instant, days: number) => at.add({ hours: 24 * days });
/** The fields of a subscription and a renewal transaction these stories look at. */
interface Sub {
  id: string;
  status: string;
  started_at: string;
  next_billed_at: string;
  canceled_at: string | null;
}
interface Renewal {
  status: string;
  billed_at: string;
  payments: Array<{ created_at: string }>;
}
const seconds = (from: Temporal.Instant, to: Temporal.Instant) => to.since(from).total('seconds');

await forEachDialect((dialect) => {
  const t = useTestApp(dialect, { PADDOCK_SCHEDULER_INTERVAL_MS: '3600000' });
  let sellers = 0;

  async function story() {
    sellers += 1;
    const sellerId = `sel_due_order_${sellers}_${dialect}`;
    const { sandbox: key } = await t().createSeller(sellerId);
    const tenant = { seller_id: sellerId, environment: 'sandbox' as const };
    const request = (method: string, url: string, body?: unknown) =>
      t().request(method, url, { key, ...(body === undefined ? {} : { body }) });
    return {
      key,
      tenant,
      request,
      async advance(body: { to?: string; by?: string }) {
        const res = await request('POST', '/test-helpers/clock/advance', body);
        assert.equal(res.status, 200, res.text);
        return instant(res.body.data.now);
      },
      async now() {
        return instant((await request('GET', '/test-helpers/clock')).body.data.now);
      },
      async subscribe(card?: string): Promise<Sub> {
        const paid = await aPaidMonthlyTransaction(t(), key, card);
        const res = await request('GET', `/subscriptions/${paid.subscription_id}`);
        return res.body.data;
      },
      /** Moves the stored clock on by `micros` without running anything: time passed with no scheduler at work. */
      async letTimePass(micros: bigint) {
        const clock = (await tenantClocks(t().db)).find((c) => c.tenant.seller_id === sellerId)!;
        await updateClockOffset(t().db, tenant, clock.clockOffsetMicros + micros);
      },
      async renewals(subscriptionId: string) {
        const res = await request(
          'GET',
          `/transactions?subscription_id=${subscriptionId}&origin=subscription_recurring&order_by=id[ASC]`,
        );
        assert.equal(res.status, 200, res.text);
        return res.body.data as Renewal[];
      },
      async get(id: string): Promise<Sub> {
        return (await request('GET', `/subscriptions/${id}`)).body.data;
      },
    };
  }
  type Story = Awaited<ReturnType<typeof story>>;

  /** A subscription with a card that pays: one renewal per month that began by `end`, each billed when it fell due. */
  async function assertRenewedOnTime(s: Story, sub: Sub, end: Temporal.Instant) {
    const start = instant(sub.started_at);
    const due: Temporal.Instant[] = [];
    for (let n = 1; Temporal.Instant.compare(addMonths(start, n), end) <= 0; n++) due.push(addMonths(start, n));
    const renewals = await s.renewals(sub.id);
    assert.equal(renewals.length, due.length, `${sub.id}: one renewal per month up to ${end.toString()}`);
    renewals.forEach((txn, index) => {
      assert.equal(txn.status, 'completed');
      const lag = seconds(due[index]!, instant(txn.billed_at));
      assert.ok(lag >= 0 && lag < 5, `${sub.id} renewal ${index + 1} billed ${lag} s after it fell due`);
    });
    const current = await s.get(sub.id);
    assert.equal(current.status, 'active');
    assert.ok(Temporal.Instant.compare(instant(current.next_billed_at), end) > 0, 'nothing left due');
  }

  /** A subscription whose card declines after checkout: failed on its renewal, retried days 1, 3, 5, 7, canceled on day 30. */
  async function assertDunnedOnTime(s: Story, sub: Sub) {
    const due = addMonths(instant(sub.started_at), 1);
    const renewals = await s.renewals(sub.id);
    assert.equal(renewals.length, 1, `${sub.id}: one renewal, never another while past due`);
    const attempts = renewals[0]!.payments.map((payment) => instant(payment.created_at)).sort(Temporal.Instant.compare);
    assert.equal(attempts.length, 5, `${sub.id}: the failure and four retries`);
    [0, 1, 3, 5, 7].forEach((days, index) => {
      const lag = seconds(addDays(due, days), attempts[index]!);
      assert.ok(lag >= 0 && lag < 5, `${sub.id} attempt on day ${days} made ${lag} s after it fell due`);
    });
    const canceled = await s.get(sub.id);
    assert.equal(canceled.status, 'canceled');
    const lag = seconds(addDays(due, 30), instant(canceled.canceled_at!));
    assert.ok(lag >= 0 && lag < 5, `${sub.id} canceled ${lag} s after dunning ended`);
  }

  describe('due work runs at its own instant', () => {
    it('an advance that starts while work is overdue runs every step in between, in time order', async () => {
      const s = await story();
      const s1 = await s.subscribe();
      const s2 = await s.subscribe(DECLINES_LATER);
      await s.advance({ by: 'PT2S' });
      const s3 = await s.subscribe();
      await s.advance({ to: instant(s3.next_billed_at).subtract({ seconds: 1 }).toString() });
      // The sandbox clock keeps running: S3's renewal is now overdue, with nothing run for it.
      await s.letTimePass(2_500_000n);
      const end = await s.advance({ by: 'P3M' });
      await assertRenewedOnTime(s, s1, end);
      await assertRenewedOnTime(s, s3, end);
      await assertDunnedOnTime(s, s2);
    });

    it('work a unit makes runs before later work found with it: a retry before next month’s renewal', async () => {
      const s = await story();
      const declines = await s.subscribe(DECLINES_LATER);
      await s.advance({ by: 'PT1H' });
      const ok = await s.subscribe();
      // The decline's renewal fails (retries on days 1, 3, 5, 7); the other renews an hour later.
      await s.advance({ by: 'P1M' });
      const from = await lastEventId(t());
      // One advance finds the retries and next month's renewals due together: the retries must come first.
      const end = await s.advance({ by: 'P1M' });
      const events = await recordedEvents(t(), { sellerId: s.tenant.seller_id, after: from });
      const outOfOrder = events.findIndex(
        (event, index) => index > 0 && event.occurred_at < events[index - 1]!.occurred_at,
      );
      const around = events.slice(Math.max(0, outOfOrder - 2), outOfOrder + 1);
      assert.equal(
        outOfOrder,
        -1,
        `recorded out of time order: ${around.map((event) => `${event.occurred_at} ${event.type}`).join(', ')}`,
      );
      assert.ok(
        events.some((event) => event.type === 'transaction.payment_failed'),
        'the retries ran',
      );
      await assertRenewedOnTime(s, ok, end);
      // Invoice numbers follow billing order (SQLite: one writer; PostgreSQL numbers at each batch's commit).
      const renewals = [...(await s.renewals(ok.id)), ...(await s.renewals(declines.id))] as Array<
        Renewal & { invoice_number: string }
      >;
      if (t().dialect === 'sqlite') {
        const byBilled = [...renewals].sort((a, b) => a.billed_at.localeCompare(b.billed_at));
        assert.deepEqual(
          byBilled.map((txn) => txn.invoice_number),
          [...renewals].map((txn) => txn.invoice_number).sort(),
        );
      }
    });

    it('a renewal that keeps failing does not hold back work due more than a day after it', async () => {
      const s = await story();
      const broken = await s.subscribe();
      await s.advance({ by: 'P2D' });
      const ok = await s.subscribe();
      // The broken subscription's renewal throws (its stored items cannot be read) and stays due, alone in its day.
      await t()
        .db.updateTable('subscriptions')
        .set({ items: 'not json' })
        .where('seller_id', '=', s.tenant.seller_id)
        .where('id', '=', broken.id)
        .execute();
      const end = await s.advance({ by: 'P1M' });
      await assertRenewedOnTime(s, ok, end);
      assert.equal((await s.renewals(broken.id)).length, 0);
    });

    it('after a restart, an advance runs everything a dead process left overdue at its own instant', async () => {
      const s = await story();
      const ok = await s.subscribe();
      const declines = await s.subscribe(DECLINES_LATER);
      // A process died mid-advance: its clock got three months on, none of the work did.
      await s.letTimePass(92n * 24n * 3600n * 1_000_000n);
      const end = await s.advance({ by: 'PT1S' });
      await assertRenewedOnTime(s, ok, end);
      await assertDunnedOnTime(s, declines);
    });

    it('the scheduler catches up on overdue work at each one’s own instant', async () => {
      const s = await story();
      const ok = await s.subscribe();
      const declines = await s.subscribe(DECLINES_LATER);
      await s.letTimePass(92n * 24n * 3600n * 1_000_000n);
      const deps = { db: t().db, dialect: t().dialect, wallClock: t().clock, config: t().config, wiring: t().wiring };
      await runDueWorkOnce(deps);
      const end = await s.now();
      await assertRenewedOnTime(s, ok, end);
      await assertDunnedOnTime(s, declines);
    });

    it('a renewal that fails during dunning is tried only after it was billed, on the spell’s schedule', async () => {
      // February is shorter than dunning: the renewal of 1 March fails while the one of 1 February is still past due.
      const { key } = await sellerAt(t(), '2027-01-01T00:00:00Z');
      const paid = await aPaidMonthlyTransaction(t(), key, DECLINES_LATER);
      const request = (method: string, url: string, body?: unknown) =>
        t().request(method, url, { key, ...(body === undefined ? {} : { body }) });
      assert.equal((await request('POST', '/test-helpers/clock/advance', { by: 'P3M' })).status, 200);
      const res = await request(
        'GET',
        `/transactions?subscription_id=${paid.subscription_id}&origin=subscription_recurring&order_by=id[ASC]`,
      );
      const renewals = res.body.data as Array<Renewal & { id: string }>;
      assert.equal(renewals.length, 2, 'the renewals of 1 February and 1 March');
      for (const renewal of renewals) {
        for (const payment of renewal.payments) {
          assert.ok(
            Temporal.Instant.compare(instant(payment.created_at), instant(renewal.billed_at)) >= 0,
            `${renewal.id}: a payment at ${payment.created_at}, before it was billed at ${renewal.billed_at}`,
          );
        }
      }
      const march = renewals[1]!;
      assert.equal(march.payments.length, 1, 'tried once when billed; dunning then ends before another retry');
      const subscription = (await request('GET', `/subscriptions/${paid.subscription_id}`)).body.data as Sub;
      assert.equal(subscription.status, 'canceled');
      const dunningEnd = addDays(instant(renewals[0]!.billed_at), 30);
      assert.equal(
        seconds(dunningEnd, instant(subscription.canceled_at!)),
        0,
        'canceled 30 days after the first failure',
      );
    });

    it('another process’s scheduler running during an advance keeps every unit at its own instant', async () => {
      const s = await story();
      const subs: Array<{ sub: Sub; declines: boolean }> = [];
      for (let i = 0; i < 8; i++) {
        const declines = i % 3 === 0;
        subs.push({ sub: await s.subscribe(declines ? DECLINES_LATER : undefined), declines });
      }
      await helpedAdvance(t(), () => s.advance({ by: 'P3M' }));
      const end = await s.now();
      for (const { sub, declines } of subs) {
        if (declines) await assertDunnedOnTime(s, sub);
        else await assertRenewedOnTime(s, sub, end);
      }
    });
  });
});

/**
 * Runs `advance` while a second scheduler (as another process would: it does not drive the advance, so on
 * PostgreSQL it helps with its due work) passes over every tenant every few ms.
 */
async function helpedAdvance(app: TestApp, advance: () => Promise<unknown>): Promise<void> {
  const deps = {
    db: app.db,
    dialect: app.dialect,
    wallClock: app.clock,
    config: app.config,
    wiring: app.wiring,
    advanceOwner: 'another process',
  };
  let done = false;
  const helper = (async () => {
    while (!done) {
      await runDueWorkOnce(deps);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  try {
    await advance();
  } finally {
    done = true;
    await helper;
  }
}
