import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useMigratedDatabase } from '../../../test/support/app.js';
import { type Ctx, withBatchTransaction } from '../../context.js';
import { readConfig } from '../../config.js';
import type { PaymentAttemptRow, Tenant, TransactionRow } from '../../db/tables.js';
import { WallClock } from '../../kernel/clock.js';
import { PADDOCK_WIRING } from '../index.js';
import {
  findTransactionRow,
  insertPaymentAttemptRow,
  insertTransactionRow,
  lockTransactionRow,
  paymentAttemptsOfTransaction,
  updateTransactionRow,
  writePendingRows,
} from './batch-rows.js';
import { findTransaction, paymentAttemptsOf } from './repository.js';

const tenant: Tenant = { seller_id: 'sel_rows', environment: 'sandbox' };

function aTransactionRow(id: string, overrides: Partial<TransactionRow> = {}): TransactionRow {
  return {
    ...tenant,
    id,
    status: 'billed',
    customer_id: 'ctm_1',
    address_id: 'add_1',
    business_id: null,
    custom_data: null,
    currency_code: 'USD',
    origin: 'subscription_recurring',
    subscription_id: 'sub_1',
    invoice_id: null,
    invoice_number: null,
    collection_mode: 'automatic',
    discount_id: null,
    billing_details: null,
    billing_period: null,
    items: '[]',
    details: '{}',
    grand_total: 4900n,
    credit_used: 0n,
    checkout_url: null,
    created_at: '2026-11-29T10:00:00.000000Z',
    updated_at: '2026-11-29T10:00:00.000000Z',
    billed_at: '2026-11-29T10:00:00.000000Z',
    revised_at: null,
    ...overrides,
  };
}

function anAttemptRow(id: string, transactionId: string, createdAt: string): PaymentAttemptRow {
  return {
    ...tenant,
    id,
    transaction_id: transactionId,
    payment_method_id: null,
    amount: 4900n,
    status: 'captured',
    error_code: null,
    method_details: '{"type":"card","card":null}',
    created_at: createdAt,
    captured_at: createdAt,
  };
}

await forEachDialect((dialect) => {
  describe('batch rows: a batch transaction writes its new transactions and attempts once, at the commit', () => {
    const database = useMigratedDatabase(dialect);
    const ctx = (): Ctx => ({
      db: database().db,
      dialect,
      clock: new WallClock(),
      tenant,
      config: readConfig({ PORT: '1', LOG_LEVEL: 'silent' }, 1),
      wiring: PADDOCK_WIRING,
    });
    const stored = (id: string) => findTransaction(database().db, tenant, id);

    it('inserts each transaction once, as it ended, and is read back as pending inside the batch', async () => {
      await withBatchTransaction(ctx(), async (batch) => {
        await batch.unit(async (ctx) => {
          await insertTransactionRow(ctx, aTransactionRow('txn_a'));
          await updateTransactionRow(ctx, aTransactionRow('txn_a', { status: 'completed' }));
          assert.equal((await lockTransactionRow(ctx, 'txn_a'))?.status, 'completed');
          assert.equal((await findTransactionRow(ctx, 'txn_a'))?.status, 'completed');
          // Nothing is in the database before the commit.
          assert.equal(await findTransaction(ctx.db, tenant, 'txn_a'), undefined);
        });
      });
      assert.equal((await stored('txn_a'))?.status, 'completed');
    });

    it('forgets the rows of a unit rolled back, also those written early inside it (a list read)', async () => {
      await withBatchTransaction(ctx(), async (batch) => {
        await batch.unit((ctx) => insertTransactionRow(ctx, aTransactionRow('txn_kept')));
        await batch
          .unit(async (ctx) => {
            await insertTransactionRow(ctx, aTransactionRow('txn_rolled_back'));
            // A read that cannot see pending rows writes them first: txn_kept's too, inside this unit's savepoint.
            await writePendingRows(ctx);
            assert.equal((await findTransaction(ctx.db, tenant, 'txn_kept'))?.id, 'txn_kept');
            throw new Error('this renewal fails');
          })
          .catch(() => undefined);
        await batch.unit((ctx) => insertTransactionRow(ctx, aTransactionRow('txn_after')));
      });
      assert.equal((await stored('txn_kept'))?.id, 'txn_kept');
      assert.equal((await stored('txn_after'))?.id, 'txn_after');
      assert.equal(await stored('txn_rolled_back'), undefined);
    });

    it('updates a row already written in the database directly', async () => {
      await withBatchTransaction(ctx(), async (batch) => {
        await batch.unit(async (ctx) => {
          await insertTransactionRow(ctx, aTransactionRow('txn_early'));
          await writePendingRows(ctx);
          await updateTransactionRow(ctx, aTransactionRow('txn_early', { status: 'past_due' }));
          assert.equal((await findTransaction(ctx.db, tenant, 'txn_early'))?.status, 'past_due');
        });
      });
      assert.equal((await stored('txn_early'))?.status, 'past_due');
    });

    it("answers a transaction's attempts, pending and stored, newest first", async () => {
      await withBatchTransaction(ctx(), async (batch) => {
        await batch.unit(async (ctx) => {
          await insertTransactionRow(ctx, aTransactionRow('txn_retry'));
          await insertPaymentAttemptRow(ctx, anAttemptRow('att_1', 'txn_retry', '2026-11-29T10:00:00.000000Z'));
          await writePendingRows(ctx);
          await insertPaymentAttemptRow(ctx, anAttemptRow('att_2', 'txn_retry', '2026-11-30T10:00:00.000000Z'));
          const attempts = await paymentAttemptsOfTransaction(ctx, 'txn_retry');
          assert.deepEqual(
            attempts.map((row) => row.id),
            ['att_2', 'att_1'],
          );
        });
      });
      const attempts = await paymentAttemptsOf(database().db, tenant, ['txn_retry']);
      assert.deepEqual(
        attempts.map((row) => row.id),
        ['att_2', 'att_1'],
      );
    });

    it('writes at once outside a batch', async () => {
      await database()
        .db.transaction()
        .execute(async (trx) => {
          await insertTransactionRow({ ...ctx(), db: trx }, aTransactionRow('txn_now'));
          assert.equal((await findTransaction(trx, tenant, 'txn_now'))?.id, 'txn_now');
        });
    });
  });
});
