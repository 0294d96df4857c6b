// Invoice numbers: the one place a transaction gets one. `<year>-<sequence>` (the year on the tenant's clock, the
// sequence at least five digits), unique and gapless per seller environment.
import { randomUUID } from 'node:crypto';
import type { Ctx, Deferred, TxCtx } from '../../context.js';
import type { Trx } from '../../db/database.js';
import type { Tenant } from '../../db/tables.js';
import { utcYearMonth } from '../../kernel/time.js';
import { nextInvoiceSequence, setInvoiceNumbers, takeInvoiceSequences } from './repository.js';

function invoiceNumber(year: number, sequence: bigint): string {
  return `${year}-${sequence.toString().padStart(5, '0')}`;
}

/** A number a batch's unit took: a placeholder until the batch numbers its transactions just before the commit. */
interface PendingNumber {
  transactionId: string;
  placeholder: string;
  year: number;
}

/** Something that shows an invoice number (a transaction entity announced by an event), set when it is known. */
interface ShowsInvoiceNumber {
  invoice_number: string | null;
}

const PLACEHOLDER_PREFIX = 'pending-invoice-number:';

/**
 * A batch transaction's invoice numbers (renewals, issue #10). Units take placeholders (no query, no lock); just
 * before the commit the batch takes as many sequences as units kept, in one update of the counter, writes the
 * numbers into its transactions in one update, and sets them on the entities its events announce (flushed before
 * the events are written). The counter's row is locked only from then to the commit, so the batches of two
 * processes (or two connections) renewing one tenant overlap instead of waiting for each other's whole batch.
 * Still gapless: a unit rolled back gives its placeholder back, and the counter commits with the batch.
 */
class BatchInvoiceNumbers implements Deferred<number> {
  readonly order = 0;
  private pending: PendingNumber[] = [];
  private readonly shownBy = new Map<string, ShowsInvoiceNumber[]>();
  constructor(private readonly tenant: Tenant) {}
  take(transactionId: string, year: number): string {
    const placeholder = `${PLACEHOLDER_PREFIX}${randomUUID()}`;
    this.pending.push({ transactionId, placeholder, year });
    return placeholder;
  }
  /** Sets the number on `entity` when it is known (`entity` shows a placeholder of this batch). */
  showLater(entity: ShowsInvoiceNumber): void {
    const placeholder = entity.invoice_number;
    if (!placeholder?.startsWith(PLACEHOLDER_PREFIX)) return;
    const entities = this.shownBy.get(placeholder);
    if (entities) entities.push(entity);
    else this.shownBy.set(placeholder, [entity]);
  }
  mark(): number {
    return this.pending.length;
  }
  rewind(mark: number): void {
    this.pending.length = mark;
  }
  async flush(db: Trx): Promise<void> {
    if (this.pending.length === 0) return;
    const last = await takeInvoiceSequences(db, this.tenant, this.pending.length);
    let sequence = last - BigInt(this.pending.length);
    const numbers = new Map<string, string>();
    for (const { transactionId, placeholder, year } of this.pending) {
      sequence += 1n;
      const number = invoiceNumber(year, sequence);
      numbers.set(transactionId, number);
      for (const entity of this.shownBy.get(placeholder) ?? []) entity.invoice_number = number;
    }
    await setInvoiceNumbers(db, this.tenant, numbers);
    this.pending = [];
  }
}

const BATCH_NUMBERS = 'invoice-numbers';

function batchNumbers(ctx: Ctx): BatchInvoiceNumbers | undefined {
  return (ctx as Partial<TxCtx>).scope?.deferred(BATCH_NUMBERS, () => new BatchInvoiceNumbers(ctx.tenant));
}

/**
 * The next invoice number of the tenant for transaction `transactionId`, e.g. "2026-00042". Takes the next sequence
 * inside the caller's database transaction, so a rolled-back transaction gives its number back and numbers stay
 * gapless. Inside a batch transaction (`ctx.scope`) it answers a placeholder, numbered just before the commit
 * (`BatchInvoiceNumbers`): entities built from the row must go through `showInvoiceNumberLater`.
 */
export async function nextInvoiceNumber(ctx: TxCtx, transactionId: string): Promise<string> {
  const { year } = utcYearMonth(ctx.clock.now());
  const batch = batchNumbers(ctx);
  if (batch) return batch.take(transactionId, year);
  return invoiceNumber(year, await nextInvoiceSequence(ctx.db, ctx.tenant));
}

/** Inside a batch transaction: `entity` gets its invoice number when the batch numbers its transactions. */
export function showInvoiceNumberLater(ctx: Ctx, entity: ShowsInvoiceNumber): void {
  if (entity.invoice_number?.startsWith(PLACEHOLDER_PREFIX)) batchNumbers(ctx)?.showLater(entity);
}
