// Invoice numbers: the one place a transaction gets one. `<year>-<sequence>` (the year on the tenant's clock, the
// sequence at least five digits), unique and gapless per seller environment.
import type { TxCtx } from '../../context.js';
import { nextInvoiceSequence } from './repository.js';

/**
 * The tenant's next invoice number, e.g. "2026-00042". Takes the next sequence inside the caller's database
 * transaction, so a rolled-back transaction gives its number back and numbers stay gapless.
 */
export async function nextInvoiceNumber(ctx: TxCtx): Promise<string> {
  const sequence = await nextInvoiceSequence(ctx.db, ctx.tenant);
  const year = ctx.clock.now().toZonedDateTimeISO('UTC').year;
  return `${year}-${sequence.toString().padStart(5, '0')}`;
}
