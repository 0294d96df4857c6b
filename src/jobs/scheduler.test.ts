import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../test/support/app.js';
import { aBuyer, aPrice, aTransaction, MONTHLY } from '../../test/support/builders.js';
import { updateClockOffset } from '../modules/sellers/repository.js';
import { runDueWorkOnce } from './scheduler.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function paidSubscription(): Promise<string> {
    const price = await aPrice(t(), { billing_cycle: MONTHLY });
    const { customer, address } = await aBuyer(t());
    const txn = await aTransaction(t(), {
      items: [{ price_id: price.id, quantity: 1 }],
      customer_id: customer.id,
      address_id: address.id,
    });
    const paid = await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { body: {} });
    assert.equal(paid.status, 200, paid.text);
    return paid.body.data.subscription_id;
  }

  describe('scheduler', () => {
    it('renews what fell due on the tenant clock, once, even with several processes at work', async () => {
      const subscriptionId = await paidSubscription();
      // Move the sandbox clock 32 days on without running anything (as if time had simply passed).
      await updateClockOffset(
        t().db,
        { seller_id: 'sel_default', environment: 'sandbox' },
        32n * 24n * 3600n * 1_000_000n,
      );
      const deps = { db: t().db, dialect: t().dialect, wallClock: t().clock, config: t().config, wiring: t().wiring };
      await Promise.all([runDueWorkOnce(deps), runDueWorkOnce(deps), runDueWorkOnce(deps)]);
      const renewals = await t().request(
        'GET',
        `/transactions?subscription_id=${subscriptionId}&origin=subscription_recurring`,
      );
      assert.equal(renewals.body.data.length, 1, 'exactly one renewal transaction');
      assert.equal(renewals.body.data[0].status, 'completed');
      const captured = renewals.body.data[0].payments.filter((p: { status: string }) => p.status === 'captured');
      assert.equal(captured.length, 1, 'the card was charged once');
      await runDueWorkOnce(deps);
      const again = await t().request(
        'GET',
        `/transactions?subscription_id=${subscriptionId}&origin=subscription_recurring`,
      );
      assert.equal(again.body.data.length, 1, 'a second pass finds nothing due');
      const live = await t().request('GET', '/transactions?origin=subscription_recurring', { key: t().keys.live });
      assert.deepEqual(live.body.data, [], 'the live environment, on the wall clock, has nothing due');
    });
  });
});
