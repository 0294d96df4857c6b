// Adjustments (refunds and credits): POST /adjustments and GET /adjustments against the spec, refunds pending until
// the tenant's clock approves them ten minutes later, credits approved at once, the transaction's adjusted totals and
// its `adjustments` / `adjustments_totals` includes, every refusal with Paddle's code (nothing written), permissions
// and tenants. Clock-moving tests use a seller of their own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp, type TestResponse } from '../../../test/support/app.js';
import { aPaidMonthlyTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { recordedEvents } from '../../../test/support/events.js';
import { subscribeManually } from '../../../test/support/portal.js';
import { sellerAt } from '../../../test/support/subscriptions.js';

const MAY = '2031-05-01T00:00:00Z';

interface Item {
  item_id: string;
  type: string;
  amount: string;
  totals: { total: string };
}
interface Adjustment {
  id: string;
  status: string;
}
interface FieldError {
  field: string;
  message: string;
}
type Request = (method: string, url: string, body?: unknown) => Promise<TestResponse>;

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function paidTransaction() {
    const { key, sellerId } = await sellerAt(t(), MAY);
    const txn = await aPaidMonthlyTransaction(t(), key);
    const request = (method: string, url: string, body?: unknown) =>
      t().request(method, url, { key, ...(body !== undefined ? { body } : {}) });
    return { key, sellerId, txn, request, itemId: txn.details.line_items[0].id as string };
  }

  async function adjustmentsOf(request: Request, txnId: string): Promise<Adjustment[]> {
    const res = await request('GET', `/adjustments?transaction_id=${txnId}`);
    assertMatchesSpec('list-adjustments', res);
    return res.body.data as Adjustment[];
  }

  describe('refunds', () => {
    it('a partial refund waits for approval, which the clock gives ten minutes later', async () => {
      const { request, txn, itemId, sellerId } = await paidTransaction();
      assert.equal(txn.status, 'completed');
      const created = await request('POST', '/adjustments', {
        action: 'refund',
        transaction_id: txn.id,
        reason: 'Customer asked',
        items: [{ item_id: itemId, type: 'partial', amount: '1000' }],
      });
      assertMatchesSpec('create-adjustment', created);
      const adjustment = created.body.data;
      assert.match(adjustment.id, /^adj_[a-z\d]{26}$/);
      assert.equal(adjustment.status, 'pending_approval');
      assert.equal(adjustment.subscription_id, txn.subscription_id);
      assert.equal(adjustment.customer_id, txn.customer_id);
      assert.equal(adjustment.credit_applied_to_balance, null);
      assert.deepEqual(
        adjustment.items.map((item: Item) => [item.item_id, item.type, item.amount, item.totals.total]),
        [[itemId, 'partial', '1000', '1000']],
      );
      assert.equal(adjustment.totals.total, '1000');
      assert.equal(adjustment.totals.retained_fee, adjustment.totals.fee, 'Paddle keeps its fee on a refund');
      assert.equal(adjustment.payout_totals.total, '1000', 'the payout currency is USD here');

      // Not approved yet: the transaction's adjusted totals are unchanged.
      const before = await request('GET', `/transactions/${txn.id}?include=adjustments,adjustments_totals`);
      assertMatchesSpec('get-transaction', before);
      assert.equal(before.body.data.details.adjusted_totals.total, txn.details.totals.total);
      assert.deepEqual(
        before.body.data.adjustments.map((a: Adjustment) => [a.id, a.status]),
        [[adjustment.id, 'pending_approval']],
      );
      assert.equal(before.body.data.adjustments_totals.total, '0', 'only approved adjustments count');

      await request('POST', '/test-helpers/clock/advance', { by: 'PT10M' });
      const [approved] = await adjustmentsOf(request, txn.id);
      assert.equal(approved?.status, 'approved');
      const after = await request('GET', `/transactions/${txn.id}?include=adjustments_totals`);
      const adjusted = after.body.data.details.adjusted_totals;
      assert.equal(adjusted.total, String(BigInt(txn.details.totals.total) - 1000n));
      assert.equal(adjusted.grand_total, String(BigInt(txn.details.totals.grand_total) - 1000n));
      assert.equal(adjusted.earnings, String(BigInt(txn.details.totals.earnings) - BigInt(adjustment.totals.subtotal)));
      assert.equal(after.body.data.details.adjusted_payout_totals.earnings, adjusted.earnings);
      assert.equal(after.body.data.adjustments_totals.breakdown.refund, '1000');
      const events = (await recordedEvents(t(), { sellerId, entityId: adjustment.id })).map((e) => e.type);
      assert.deepEqual(events, ['adjustment.created', 'adjustment.updated']);
    });

    it('a full refund takes what is left; another adjustment then finds nothing left', async () => {
      const { request, txn, key } = await paidTransaction();
      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const full = await paddle.adjustments.create({
        action: 'refund',
        transactionId: txn.id,
        reason: 'Duplicate order',
        type: 'full',
      });
      assert.equal(full.totals?.total, txn.details.totals.total);
      assertPaddleError(
        await request('POST', '/adjustments', {
          action: 'refund',
          transaction_id: txn.id,
          reason: 'again',
          type: 'full',
        }),
        400,
        'adjustment_pending_refund_request',
      );
      await request('POST', '/test-helpers/clock/advance', { by: 'PT10M' });
      assertPaddleError(
        await request('POST', '/adjustments', {
          action: 'refund',
          transaction_id: txn.id,
          reason: 'again',
          type: 'full',
        }),
        400,
        'adjustment_total_amount_above_remaining_allowed',
      );
      const after = await request('GET', `/transactions/${txn.id}`);
      assertMatchesSpec('get-transaction', after);
      const { totals, adjusted_totals: adjusted, adjusted_payout_totals: payout } = after.body.data.details;
      assert.equal(adjusted.total, '0');
      // Paddle keeps its fee on a refund: the seller is out the fee, in both currencies' figures alike.
      assert.equal(adjusted.retained_fee, totals.fee);
      assert.equal(adjusted.fee, '0');
      assert.equal(adjusted.earnings, `-${totals.fee}`);
      assert.deepEqual(
        [payout.total, payout.fee, payout.retained_fee, payout.earnings, payout.chargeback_fee.amount],
        ['0', '0', totals.fee, `-${totals.fee}`, '0'],
      );
      assert.equal((await adjustmentsOf(request, txn.id)).length, 1, 'nothing written by the refusals');
      assertPaddleError(
        await request('POST', `/transactions/${txn.id}/revise`, { customer: { name: 'Sam' } }),
        400,
        'transaction_adjusted_unable_to_revise',
      );
    });

    it('refuses items that are unknown, zero, over what is left, and a transaction that is not completed', async () => {
      const { request, txn, itemId } = await paidTransaction();
      const refused = await request('POST', '/adjustments', {
        action: 'refund',
        transaction_id: txn.id,
        reason: 'x',
        items: [
          { item_id: 'txnitm_01h1anzyznztjc1jz3cg32c6ex', type: 'full' },
          { item_id: itemId, type: 'partial', amount: '0' },
        ],
      });
      assertPaddleError(refused, 400, 'adjustment_transaction_item_invalid');
      assert.deepEqual(
        refused.body.error.errors.map((e: FieldError) => e.field),
        ['items[0].item_id', 'items[1].amount'],
      );
      const over = await request('POST', '/adjustments', {
        action: 'refund',
        transaction_id: txn.id,
        reason: 'x',
        items: [{ item_id: itemId, type: 'partial', amount: String(BigInt(txn.details.totals.total) + 1n) }],
      });
      assertPaddleError(over, 400, 'adjustment_transaction_item_invalid');
      assert.match(over.body.error.errors[0].message, /over remaining allowed/);

      const ready = await request('POST', '/transactions', {
        items: txn.items.map((i: { price: { id: string } }) => ({ price_id: i.price.id, quantity: 1 })),
      });
      assertPaddleError(
        await request('POST', '/adjustments', {
          action: 'refund',
          transaction_id: ready.body.data.id,
          reason: 'x',
          type: 'full',
        }),
        400,
        'adjustment_transaction_invalid_status_for_refund',
      );
      assertPaddleError(
        await request('POST', '/adjustments', { action: 'credit', transaction_id: txn.id, reason: 'x', type: 'full' }),
        400,
        'adjustment_transaction_invalid_status_for_credit',
      );
      assert.deepEqual(await adjustmentsOf(request, txn.id), [], 'nothing was written');
    });
  });

  describe('credits', () => {
    it('a credit on a billed invoice is approved at once and lowers what is due', async () => {
      const { txn } = await subscribeManually(t());
      const itemId = txn.details.line_items[0].id;
      const created = await t().request('POST', '/adjustments', {
        body: {
          action: 'credit',
          transaction_id: txn.id,
          reason: 'Goodwill',
          items: [{ item_id: itemId, type: 'partial', amount: '500' }],
        },
      });
      assertMatchesSpec('create-adjustment', created);
      assert.equal(created.body.data.status, 'approved');
      assert.equal(created.body.data.credit_applied_to_balance, false);
      const after = await t().request('GET', `/transactions/${txn.id}`);
      assert.equal(
        after.body.data.details.adjusted_totals.grand_total,
        String(BigInt(txn.details.totals.grand_total) - 500n),
      );
      assert.equal(after.body.data.status, 'billed', 'the invoice itself is unchanged');
    });
  });

  describe('access', () => {
    it('needs adjustment.write to create and adjustment.read to list; other sellers see nothing', async () => {
      const { request, txn, itemId } = await paidTransaction();
      const body = {
        action: 'refund',
        transaction_id: txn.id,
        reason: 'x',
        items: [{ item_id: itemId, type: 'full' }],
      };
      const reader = await t().createKey('sandbox', ['adjustment.read']);
      assertPaddleError(await t().request('POST', '/adjustments', { key: reader, body }), 403, 'forbidden');
      const other = await t().createKey('sandbox', ['transaction.read']);
      assertPaddleError(await t().request('GET', '/adjustments', { key: other }), 403, 'forbidden');
      assertPaddleError(await t().request('POST', '/adjustments', { body }), 404, 'not_found');
      const created = await request('POST', '/adjustments', body);
      assert.equal(created.status, 201, created.text);
      const elsewhere = await t().request('GET', `/adjustments?id=${created.body.data.id}`, { key: reader });
      assert.deepEqual(elsewhere.body.data, [], "the default seller's list does not show another seller's refund");
    });
  });
});
