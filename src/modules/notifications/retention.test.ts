// Notifications and their logs are kept 90 days on the tenant's clock, as events are (Paddle's retention): an
// advance past that drops them from storage, not only from GET /notifications; newer ones stay.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aCustomer } from '../../../test/support/builders.js';
import { advanceClock } from '../../../test/support/portal.js';
import { aDestination, deliverNow, startReceiver, type Receiver } from '../../../test/support/webhooks.js';

const receivers: Receiver[] = [];
after(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('notification retention', () => {
    it('drops notifications and their logs 90 days after their event on the tenant clock, and keeps the rest', async () => {
      const sellerId = `sel_ntf_retention_${dialect}`;
      const { sandbox: key } = await t().createSeller(sellerId);
      const hook = await startReceiver();
      receivers.push(hook);
      await aDestination(t(), hook.url, ['customer.created'], key);
      const stored = async () => {
        const notifications = await t()
          .db.selectFrom('notifications')
          .select('id')
          .where('seller_id', '=', sellerId)
          .where('environment', '=', 'sandbox')
          .orderBy('id')
          .execute();
        const logs = await t()
          .db.selectFrom('notification_logs')
          .select('notification_id')
          .where('seller_id', '=', sellerId)
          .where('environment', '=', 'sandbox')
          .orderBy('id')
          .execute();
        return { notifications: notifications.map((row) => row.id), logged: logs.map((row) => row.notification_id) };
      };

      await aCustomer(t(), {}, key);
      assert.equal(await deliverNow(t(), key), 1);
      const [old] = (await stored()).notifications;
      await advanceClock(t(), { by: 'P60D' }, key);
      await aCustomer(t(), {}, key);
      assert.equal(await deliverNow(t(), key), 1);
      const both = await stored();
      assert.equal(both.notifications.length, 2, 'both kept within 90 days');
      assert.deepEqual(both.logged, both.notifications, 'each with its log');
      const newer = both.notifications.find((id) => id !== old);

      await advanceClock(t(), { by: 'P32D' }, key);
      assert.deepEqual(await stored(), { notifications: [newer], logged: [newer] }, 'the 92-day-old one is gone');
      const gone = await t().request('GET', `/notifications/${old}`, { key });
      assert.equal(gone.status, 404);

      await advanceClock(t(), { by: 'P60D' }, key);
      assert.deepEqual(await stored(), { notifications: [], logged: [] }, 'and the other once it is 90 days old');
    });
  });
});
