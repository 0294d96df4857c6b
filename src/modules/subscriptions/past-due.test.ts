import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aPrice, aTransaction, MONTHLY } from '../../../test/support/builders.js';
import { assertMatchesSpec } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function pastDueSubscription(): Promise<string> {
    const price = await aPrice(t(), { billing_cycle: MONTHLY });
    const { customer, address } = await aBuyer(t());
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, {
      body: { card_number: '4000002760003184' },
    });
    const id = paid.body.data.subscription_id;
    await t().request('POST', '/test-helpers/clock/advance', { body: { by: 'P1M' } });
    const sub = await t().request('GET', `/subscriptions/${id}`);
    assert.equal(sub.body.data.status, 'past_due');
    return id;
  }

  async function renewals(id: string) {
    return (await t().request('GET', `/transactions?subscription_id=${id}&origin=subscription_recurring`)).body
      .data as Array<{ id: string; status: string }>;
  }

  describe('a past-due subscription that stops', () => {
    it('has its past-due renewal canceled when it is canceled', async () => {
      const id = await pastDueSubscription();
      assert.deepEqual(
        (await renewals(id)).map((txn) => txn.status),
        ['past_due'],
      );
      const canceled = await t().request('POST', `/subscriptions/${id}/cancel`, { body: {} });
      assertMatchesSpec('cancel-subscription', canceled);
      assert.equal(canceled.body.data.status, 'canceled');
      const [renewal] = await renewals(id);
      assert.equal(renewal!.status, 'canceled');
      const forRenewal = (await recordedEvents(t(), { entityId: renewal!.id })).map((event) => event.type);
      assert.deepEqual(forRenewal.slice(-2), ['transaction.updated', 'transaction.canceled']);
    });

    it('has its past-due renewal canceled when it pauses', async () => {
      const id = await pastDueSubscription();
      const paused = await t().request('POST', `/subscriptions/${id}/pause`, { body: {} });
      assertMatchesSpec('pause-subscription', paused);
      assert.equal(paused.body.data.status, 'paused');
      assert.deepEqual(
        (await renewals(id)).map((txn) => txn.status),
        ['canceled'],
      );
    });
  });
});
