// Invoice numbers: the one place a transaction gets one. `<year>-<sequence>` (the year on the tenant's clock, the
// sequence at least five digits), unique and gapless per seller environment.
import type { Deferred, TxCtx } from '../../context.js';
import type { Trx } from '../../db/database.js';
import type { Tenant } from '../../db/tables.js';
import { lockInvoiceSequence, nextInvoiceSequence, setInvoiceSequence } from './repository.js';

interface CounterMark {
  /** The last sequence taken, or undefined before the batch read (and locked) the counter. */
  last: bigint | undefined;
}

/**
 * A batch transaction's invoice numbers (renewals, issue #10): the counter is read and locked once, numbers are
 * taken in memory, and the last one is stored once before the commit. Still gapless: a unit rolled back gives its
 * numbers back (it took the last ones), and the batch commits or rolls back with the stored counter.
 */
class BatchInvoiceCounter implements Deferred<CounterMark> {
  private last: bigint | undefined;
  private stored: bigint | undefined;
  constructor(private readonly tenant: Tenant) {}
  async take(db: Trx): Promise<bigint> {
    if (this.last === undefined) {
      this.last = await lockInvoiceSequence(db, this.tenant);
      this.stored = this.last;
    }
    this.last += 1n;
    return this.last;
  }
  mark(): CounterMark {
    return { last: this.last };
  }
  rewind(mark: CounterMark): void {
    // @NOTE a counter first read in the unit rolled back is read again: its row lock went with the savepoint.
    this.last = mark.last;
    if (mark.last === undefined) this.stored = undefined;
  }
  async flush(db: Trx): Promise<void> {
    if (this.last !== undefined && this.last !== this.stored) await setInvoiceSequence(db, this.tenant, this.last);
  }
}

/**
 * The tenant's next invoice number, e.g. "2026-00042". Takes the next sequence inside the caller's database
 * transaction, so a rolled-back transaction gives its number back and numbers stay gapless; inside a batch
 * transaction (`ctx.scope`), from the batch's counter.
 */
export async function nextInvoiceNumber(ctx: TxCtx): Promise<string> {
  const sequence = ctx.scope
    ? await ctx.scope.deferred('invoice-counter', () => new BatchInvoiceCounter(ctx.tenant)).take(ctx.db)
    : await nextInvoiceSequence(ctx.db, ctx.tenant);
  const year = ctx.clock.now().toZonedDateTimeISO('UTC').year;
  return `${year}-${sequence.toString().padStart(5, '0')}`;
}
