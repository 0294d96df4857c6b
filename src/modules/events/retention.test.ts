// Events are kept 90 days on the tenant's clock (issue #10 item 6): an advance past that drops them from storage,
// not only from GET /events; newer ones stay.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { recordedEvents } from '../../../test/support/events.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('event retention', () => {
    it('drops events older than 90 days of the tenant clock as the clock passes, and keeps the rest', async () => {
      const sellerId = `sel_retention_${dialect}`;
      const { sandbox: key } = await t().createSeller(sellerId);
      const request = (method: string, url: string, body?: unknown) =>
        t().request(method, url, { key, ...(body === undefined ? {} : { body }) });
      const stored = async () =>
        (await recordedEvents(t(), { sellerId, environment: 'sandbox' })).map((event) => event.data.id as string);

      const old = await request('POST', '/customers', { email: 'old@example.com' });
      assert.equal(old.status, 201, old.text);
      assert.equal((await request('POST', '/test-helpers/clock/advance', { by: 'P60D' })).status, 200);
      const newer = await request('POST', '/customers', { email: 'newer@example.com' });
      assert.deepEqual(await stored(), [old.body.data.id, newer.body.data.id], 'both kept within 90 days');

      assert.equal((await request('POST', '/test-helpers/clock/advance', { by: 'P32D' })).status, 200);
      assert.deepEqual(await stored(), [newer.body.data.id], 'the 92-day-old event is gone, the 32-day-old one kept');

      assert.equal((await request('POST', '/test-helpers/clock/advance', { by: 'P60D' })).status, 200);
      assert.deepEqual(await stored(), [], 'and the other once it is 90 days old');
    });
  });
});
