// A batch transaction's new transactions and payment attempts (renewals, issue #10), written in one multi-row
// insert per table just before the commit, instead of an insert, an update and another insert per renewal.
// Outside a batch every write goes to the database at once, as before.
import type { Ctx, Deferred, TxCtx } from '../../context.js';
import type { Trx } from '../../db/database.js';
import type { PaymentAttemptRow, TransactionRow } from '../../db/tables.js';
import {
  insertPaymentAttempt,
  insertPaymentAttempts,
  insertTransaction,
  insertTransactions,
  findTransaction,
  lockTransaction,
  paymentAttemptsOf,
  updatePaymentAttempt,
  updateTransaction,
} from './repository.js';
import { showInvoiceNumberLater } from './invoice-number.js';

/** The tables a batch writes this way, and their rows. */
interface Rows {
  transactions: TransactionRow;
  payment_attempts: PaymentAttemptRow;
}

type Entry = { [T in keyof Rows]: { table: T; row: Rows[T] } }[keyof Rows];

/** Where the log stood: its length, and how much of it was in the database then. */
interface RowsMark {
  length: number;
  written: number;
}

/**
 * The log of rows the batch's units made, each entry a whole row; a later entry for the same id (the renewal's
 * transaction, completed) supersedes the earlier one, so each row is inserted once, as it ended. `written`: how
 * much of the log is in the database (`writeNow` before a read that cannot see pending rows). @NOTE a unit rolled
 * back to its savepoint also rolls back what was written during it: its mark takes `written` back with it.
 */
class BatchRows implements Deferred<RowsMark> {
  /** After the invoice numbers (0: set on the pending rows in memory), before the events (1). */
  readonly order = 0.5;
  private log: Entry[] = [];
  private written = 0;

  add(entry: Entry): void {
    this.log.push(entry);
  }

  /** The latest pending (not yet written) row of `table` with `id`. */
  pending<T extends keyof Rows>(table: T, id: string): Rows[T] | undefined {
    for (let index = this.log.length - 1; index >= this.written; index -= 1) {
      const entry = this.log[index]!;
      if (entry.table === table && entry.row.id === id) return entry.row as Rows[T];
    }
    return undefined;
  }

  /** The pending payment attempts of `transactionId`, each as last written. */
  pendingAttempts(transactionId: string): PaymentAttemptRow[] {
    const rows = this.latest('payment_attempts');
    return [...rows.values()].filter((row) => row.transaction_id === transactionId);
  }

  mark(): RowsMark {
    return { length: this.log.length, written: this.written };
  }

  rewind(mark: RowsMark): void {
    this.log.length = Math.min(this.log.length, mark.length);
    this.written = Math.min(this.written, mark.written);
  }

  async flush(db: Trx): Promise<void> {
    await this.writeNow(db);
  }

  /** Inserts what is pending: the transactions first (their attempts refer to them). */
  async writeNow(db: Trx): Promise<void> {
    if (this.written === this.log.length) return;
    const transactions = this.latest('transactions');
    const attempts = this.latest('payment_attempts');
    this.written = this.log.length;
    await insertTransactions(db, [...transactions.values()]);
    await insertPaymentAttempts(db, [...attempts.values()]);
  }

  /** The pending rows of `table` by id, each as its last entry has it, in the order they were first made. */
  private latest<T extends keyof Rows>(table: T): Map<string, Rows[T]> {
    const rows = new Map<string, Rows[T]>();
    for (let index = this.written; index < this.log.length; index += 1) {
      const entry = this.log[index]!;
      if (entry.table === table) rows.set(entry.row.id, entry.row as Rows[T]);
    }
    return rows;
  }
}

const BATCH_ROWS = 'transaction-rows';

function batchRows(ctx: Ctx): BatchRows | undefined {
  return (ctx as Partial<TxCtx>).scope?.deferred(BATCH_ROWS, () => new BatchRows());
}

/**
 * Inserts a new transaction row: now, or in a batch transaction at its commit (its invoice number, a placeholder
 * there, is set on the row before it is written). Reads of it in the batch go through `lockTransactionRow`.
 */
export async function insertTransactionRow(ctx: TxCtx, row: TransactionRow): Promise<void> {
  const batch = batchRows(ctx);
  if (!batch) return insertTransaction(ctx.db, row);
  showInvoiceNumberLater(ctx, row);
  batch.add({ table: 'transactions', row });
}

/** Writes a changed transaction row (whole): the pending row of the batch when it is one, else the database's. */
export async function updateTransactionRow(ctx: TxCtx, row: TransactionRow): Promise<void> {
  const batch = batchRows(ctx);
  if (!batch?.pending('transactions', row.id)) return updateTransaction(ctx.db, row);
  showInvoiceNumberLater(ctx, row);
  batch.add({ table: 'transactions', row });
}

/** Inserts a new payment attempt: now, or in a batch transaction at its commit. */
export async function insertPaymentAttemptRow(ctx: TxCtx, row: PaymentAttemptRow): Promise<void> {
  const batch = batchRows(ctx);
  if (!batch) return insertPaymentAttempt(ctx.db, row);
  batch.add({ table: 'payment_attempts', row });
}

/** Writes a changed payment attempt (whole): the batch's pending one when it is one, else the database's. */
export async function updatePaymentAttemptRow(ctx: TxCtx, row: PaymentAttemptRow): Promise<void> {
  const batch = batchRows(ctx);
  if (!batch?.pending('payment_attempts', row.id)) return updatePaymentAttempt(ctx.db, row);
  batch.add({ table: 'payment_attempts', row });
}

/** The transaction row, locked for this database transaction (a batch's pending row as it stands). */
export async function lockTransactionRow(ctx: TxCtx, id: string): Promise<TransactionRow | undefined> {
  return batchRows(ctx)?.pending('transactions', id) ?? lockTransaction(ctx.db, ctx.tenant, id, ctx.dialect);
}

/** The transaction row (a batch's pending row as it stands), or undefined. */
export async function findTransactionRow(ctx: Ctx, id: string): Promise<TransactionRow | undefined> {
  return batchRows(ctx)?.pending('transactions', id) ?? findTransaction(ctx.db, ctx.tenant, id);
}

/** The transaction's payment attempts, newest first (Paddle's `payments[]` order), a batch's pending ones included. */
export async function paymentAttemptsOfTransaction(ctx: Ctx, transactionId: string): Promise<PaymentAttemptRow[]> {
  const stored = await paymentAttemptsOf(ctx.db, ctx.tenant, [transactionId]);
  const pending = batchRows(ctx)?.pendingAttempts(transactionId) ?? [];
  if (pending.length === 0) return [...stored];
  const ids = new Set(pending.map((row) => row.id));
  return [...pending, ...stored.filter((row) => !ids.has(row.id))].sort(
    (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
  );
}

/**
 * Writes a batch's pending rows now: before a read of transactions or payment attempts that cannot look at
 * them (a list, a search by subscription). Nothing outside a batch.
 */
export async function writePendingRows(ctx: Ctx): Promise<void> {
  const scope = (ctx as Partial<TxCtx>).scope;
  if (!scope) return;
  await batchRows(ctx)?.writeNow((ctx as TxCtx).db);
}
