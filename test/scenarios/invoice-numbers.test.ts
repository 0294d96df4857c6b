// Invoice numbers stay unique and gapless per seller environment when renewals are numbered in batches (#10: a
// batch transaction's units take placeholders, numbered just before its commit), also when one renewal of the
// batch fails and rolls back alone; and what the events and webhooks announce is the number the transaction got.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, useTestApp } from '../support/app.js';
import { aPaidMonthlyTransaction } from '../support/builders.js';
import { Temporal } from '../../src/kernel/time.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  /** Makes the database refuse payment attempts of `subscriptionId`'s transactions, as a failing disk would. */
  async function injectFault(subscriptionId: string) {
    const ofBroken = sql`(select subscription_id from transactions where transactions.id = new.transaction_id) = ${sql.lit(subscriptionId)}`;
    if (dialect === 'sqlite') {
      await sql`create trigger injected_fault before insert on payment_attempts when ${ofBroken}
        begin select raise(abort, 'injected fault'); end`.execute(t().db);
      return;
    }
    await sql`create function injected_fault() returns trigger language plpgsql as $$
      begin if ${ofBroken} then raise exception 'injected fault'; end if; return new; end $$`.execute(t().db);
    await sql`create trigger injected_fault before insert on payment_attempts
      for each row execute function injected_fault()`.execute(t().db);
  }

  async function mendFault() {
    if (dialect === 'sqlite') await sql`drop trigger injected_fault`.execute(t().db);
    else await sql`drop function injected_fault() cascade`.execute(t().db);
  }

  describe('invoice numbers of renewals', () => {
    it('are gapless and unique, skip nothing for a renewal that failed, and are what events announce', async () => {
      const sellerId = `sel_invoice_numbers_${dialect}`;
      const { sandbox: key } = await t().createSeller(sellerId);
      const request = (method: string, url: string, body?: unknown) =>
        t().request(method, url, { key, ...(body === undefined ? {} : { body }) });
      const destination = await request('POST', '/notification-settings', {
        description: 'all transaction events',
        type: 'url',
        destination: 'http://127.0.0.1:9/hooks',
        subscribed_events: ['transaction.billed', 'transaction.completed'],
      });
      assert.equal(destination.status, 201, destination.text);
      const subscriptions: string[] = [];
      for (let i = 0; i < 5; i++) subscriptions.push((await aPaidMonthlyTransaction(t(), key)).subscription_id);
      const broken = subscriptions[2]!;
      const tenant = (table: 'events' | 'notifications' | 'transactions') =>
        t().db.selectFrom(table).where('seller_id', '=', sellerId).where('environment', '=', 'sandbox');
      // One renewal of the batch fails after it took its invoice number (its payment attempt cannot be written),
      // and rolls back alone.
      await injectFault(broken);
      const last = await request('GET', `/subscriptions/${subscriptions[4]}`);
      const renewAllAt = Temporal.Instant.from(last.body.data.next_billed_at).add({ minutes: 5 });
      const advanced = await request('POST', '/test-helpers/clock/advance', { to: renewAllAt.toString() });
      assert.equal(advanced.status, 200, advanced.text);

      await mendFault();
      const again = await request('POST', '/test-helpers/clock/advance', { by: 'PT1M' });
      assert.equal(again.status, 200, again.text);

      const transactions = await tenant('transactions')
        .select(['id', 'origin', 'invoice_number', 'subscription_id'])
        .execute();
      const renewals = transactions.filter((row) => row.origin === 'subscription_recurring');
      assert.equal(renewals.length, 5, 'every subscription renewed once, the broken one after it was mended');
      const numbers = transactions.map((row) => row.invoice_number ?? '');
      const sequences = numbers.map((number) => Number(/^\d{4}-(\d{5,})$/.exec(number)?.[1])).sort((a, b) => a - b);
      assert.deepEqual(sequences, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], `gapless and unique: ${numbers.join(', ')}`);
      const mended = renewals.find((row) => row.subscription_id === broken)!;
      assert.equal(Math.max(...sequences), Number(mended.invoice_number!.slice(5)), 'the mended renewal came last');

      const byId = new Map(transactions.map((row) => [row.id, row.invoice_number]));
      const events = await tenant('events')
        .select(['event_type', 'data'])
        .where('event_type', 'like', 'transaction.%')
        .execute();
      for (const event of events) {
        const data = JSON.parse(event.data) as { id: string; invoice_number: string | null; status: string };
        if (data.status === 'billed' || data.status === 'completed')
          assert.equal(data.invoice_number, byId.get(data.id), `${event.event_type} of ${data.id}`);
      }
      const payloads = await tenant('notifications').select('payload').execute();
      assert.equal(
        payloads.length,
        15,
        'billed and completed, for five checkouts and five renewals (checkouts bill none)',
      );
      for (const { payload } of payloads) {
        const { data } = JSON.parse(payload) as { data: { id: string; invoice_number: string | null } };
        if (data.invoice_number !== null) assert.equal(data.invoice_number, byId.get(data.id));
      }
    });
  });
});
