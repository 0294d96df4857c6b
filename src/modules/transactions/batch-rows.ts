// A batch transaction's new transactions and payment attempts (renewals, issue #10), written in one multi-row
// insert per table just before the commit (kernel/pending-rows.ts), instead of an insert, an update and another insert
// per renewal. Outside a batch every write goes to the database at once, as before.
import type { Ctx, TxCtx } from '../../context.js';
import type { Trx } from '../../db/database.js';
import { PendingRows } from '../../kernel/pending-rows.js';
import type { PaymentAttemptRow, TransactionRow } from '../../db/tables.js';
import {
  findTransaction,
  insertPaymentAttempt,
  insertPaymentAttempts,
  insertTransaction,
  insertTransactions,
  lockTransaction,
  paymentAttemptsOf,
  updatePaymentAttempt,
  updateTransaction,
} from './repository.js';
import { showInvoiceNumberLater } from './invoice-number.js';

/**
 * The batch's pending rows: after the invoice numbers (0: set on the pending rows in memory, see
 * `insertTransactionRow`), before the events (1), whose reactions may read them.
 */
function pendingTransactions(ctx: Ctx): PendingRows<TransactionRow, Trx> | undefined {
  return (ctx as Partial<TxCtx>).scope?.deferred(
    'pending-transactions',
    () => new PendingRows(insertTransactions, 0.5),
  );
}

function pendingAttempts(ctx: Ctx): PendingRows<PaymentAttemptRow, Trx> | undefined {
  return (ctx as Partial<TxCtx>).scope?.deferred('pending-attempts', () => new PendingRows(insertPaymentAttempts, 0.5));
}

/**
 * Inserts a new transaction row: now, or in a batch transaction at its commit (its invoice number, a placeholder
 * there, is set on the row before it is written). Reads of it in the batch go through `lockTransactionRow`.
 */
export async function insertTransactionRow(ctx: TxCtx, row: TransactionRow): Promise<void> {
  const pending = pendingTransactions(ctx);
  if (!pending) return insertTransaction(ctx.db, row);
  showInvoiceNumberLater(ctx, row);
  pending.add(row);
}

/** Writes a changed transaction row (whole): the pending row of the batch when it is one, else the database's. */
export async function updateTransactionRow(ctx: TxCtx, row: TransactionRow): Promise<void> {
  const pending = pendingTransactions(ctx);
  if (!pending?.pending(row.id)) return updateTransaction(ctx.db, row);
  showInvoiceNumberLater(ctx, row);
  pending.add(row);
}

/** Inserts a new payment attempt: now, or in a batch transaction at its commit. */
export async function insertPaymentAttemptRow(ctx: TxCtx, row: PaymentAttemptRow): Promise<void> {
  const pending = pendingAttempts(ctx);
  if (!pending) return insertPaymentAttempt(ctx.db, row);
  pending.add(row);
}

/** Writes a changed payment attempt (whole): the batch's pending one when it is one, else the database's. */
export async function updatePaymentAttemptRow(ctx: TxCtx, row: PaymentAttemptRow): Promise<void> {
  const pending = pendingAttempts(ctx);
  if (!pending?.pending(row.id)) return updatePaymentAttempt(ctx.db, row);
  pending.add(row);
}

/** The transaction row, locked for this database transaction (a batch's pending row as it stands). */
export async function lockTransactionRow(ctx: TxCtx, id: string): Promise<TransactionRow | undefined> {
  return pendingTransactions(ctx)?.pending(id) ?? lockTransaction(ctx.db, ctx.tenant, id, ctx.dialect);
}

/** The transaction row (a batch's pending row as it stands), or undefined. */
export async function findTransactionRow(ctx: Ctx, id: string): Promise<TransactionRow | undefined> {
  return pendingTransactions(ctx)?.pending(id) ?? findTransaction(ctx.db, ctx.tenant, id);
}

/** The transaction's payment attempts, newest first (Paddle's `payments[]` order), a batch's pending ones included. */
export async function paymentAttemptsOfTransaction(ctx: Ctx, transactionId: string): Promise<PaymentAttemptRow[]> {
  const stored = await paymentAttemptsOf(ctx.db, ctx.tenant, [transactionId]);
  const pending = pendingAttempts(ctx)?.pendingWhere((row) => row.transaction_id === transactionId) ?? [];
  if (pending.length === 0) return [...stored];
  const ids = new Set(pending.map((row) => row.id));
  return [...pending, ...stored.filter((row) => !ids.has(row.id))].sort(
    (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
  );
}

/**
 * Writes a batch's pending transactions and attempts now: before a read of those tables that cannot look at them
 * (a list, a search by subscription). Nothing outside a batch.
 */
export async function writePendingRows(ctx: Ctx): Promise<void> {
  const scope = (ctx as Partial<TxCtx>).scope;
  if (!scope) return;
  const { db } = ctx as TxCtx;
  await pendingTransactions(ctx)?.writeNow(db);
  await pendingAttempts(ctx)?.writeNow(db);
}
