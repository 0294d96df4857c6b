// What adjustments (refunds and credits, the adjustments module) need of a transaction: its lines as adjustable
// figures, and, once an adjustment is approved, `details.adjusted_totals` (and `adjusted_payout_totals`) reduced by
// what it took, with the transaction's `transaction.updated` event. Paddle: "The existing transaction entity remains
// unchanged" except for these adjusted figures.
import type { TxCtx } from '../../../context.js';
import type { TransactionRow } from '../../../db/tables.js';
import type { AdjustableLine, AdjustedFigures } from '../../../billing/adjustments.js';
import type { AdjustedTotals } from '../../../billing/totals.js';
import { adjustedPayoutTotals, type PayoutTotals } from '../../../billing/payouts.js';
import { recordEvent } from '../../../events/record.js';
import { notFound } from '../../../kernel/errors.js';
import { toStoredTime } from '../../../kernel/time.js';
import { transactionEntity, type PortalRef } from '../entity.js';
import { lockTransactionRow, updateTransactionRow } from '../batch-rows.js';
import { transactionColumns } from '../columns.js';

/** An approved adjustment's figures, in the transaction's currency (minor units). */
export interface ApprovedAdjustment extends AdjustedFigures {
  /** Paddle's fee on the adjusted part: no longer part of the transaction's fee. */
  fee: bigint;
  /** What of that fee Paddle keeps (all of it for a refund): the seller does not get it back. */
  retained_fee: bigint;
}

/** The transaction's lines (`txnitm_` ids and totals) with what earlier adjustments already took from each. */
export function adjustableLines(row: TransactionRow, taken: ReadonlyMap<string, AdjustedFigures>): AdjustableLine[] {
  const none = { subtotal: 0n, tax: 0n, total: 0n };
  return transactionColumns.details
    .decode(row.details)
    .line_items.filter((line) => line.id !== undefined)
    .map((line) => ({
      id: line.id as string,
      tax_rate: line.tax_rate,
      // @NOTE an adjustment takes from what was charged for the line: its subtotal after discount.
      totals: {
        subtotal: BigInt(line.totals.subtotal) - BigInt(line.totals.discount),
        tax: BigInt(line.totals.tax),
        total: BigInt(line.totals.total),
      },
      adjusted: taken.get(line.id as string) ?? none,
    }));
}

/** The transaction, locked for an adjustment, or Paddle's 404. */
export async function lockForAdjustment(ctx: TxCtx, id: string): Promise<TransactionRow> {
  const row = await lockTransactionRow(ctx, id);
  if (!row) throw notFound(id);
  return row;
}

const minus = (figure: string, by: bigint) => (BigInt(figure) - by).toString();
const minusOrNull = (figure: string | null, by: bigint) => (figure === null ? null : minus(figure, by));

/**
 * Reduces the transaction's adjusted totals by an approved adjustment and records `transaction.updated`. Paddle
 * keeps its fee on what is refunded or credited: `retained_fee` grows by the adjustment's fee, and the seller's
 * earnings lose the adjusted subtotal.
 */
export async function recordApprovedAdjustment(
  ctx: TxCtx,
  portal: PortalRef,
  transactionId: string,
  adjustment: ApprovedAdjustment,
): Promise<void> {
  const row = await lockForAdjustment(ctx, transactionId);
  const details = transactionColumns.details.decode(row.details);
  // @NOTE completion and pricing always store adjusted totals in this shape (billing/totals.ts).
  const adjusted = details.adjusted_totals as AdjustedTotals | null | undefined;
  const nextAdjusted = adjusted && {
    ...adjusted,
    subtotal: minus(adjusted.subtotal, adjustment.subtotal),
    tax: minus(adjusted.tax, adjustment.tax),
    total: minus(adjusted.total, adjustment.total),
    grand_total: minus(adjusted.grand_total, adjustment.total),
    grand_total_tax: minus(adjusted.grand_total_tax, adjustment.tax),
    fee: minusOrNull(adjusted.fee, adjustment.fee),
    earnings: minusOrNull(adjusted.earnings, adjustment.subtotal),
    retained_fee: (BigInt(adjusted.retained_fee) + adjustment.retained_fee).toString(),
  };
  // @NOTE completion stores payout totals in this shape (billing/payouts.ts); null where no rate was known.
  const payout = details.payout_totals as PayoutTotals | null | undefined;
  const adjustedPayout =
    payout && nextAdjusted
      ? {
          ...adjustedPayoutTotals(
            { ...nextAdjusted, fee: nextAdjusted.fee ?? '0', earnings: nextAdjusted.earnings ?? '0' },
            payout,
          ),
          exchange_rate: payout.exchange_rate,
        }
      : null;
  const next: TransactionRow = {
    ...row,
    details: transactionColumns.details.encode({
      ...details,
      ...(nextAdjusted ? { adjusted_totals: nextAdjusted } : {}),
      ...(adjustedPayout ? { adjusted_payout_totals: adjustedPayout } : {}),
    }),
    updated_at: toStoredTime(ctx.clock.now()),
  };
  await updateTransactionRow(ctx, next);
  await recordEvent(ctx, 'transaction.updated', await transactionEntity(ctx, next, portal.portalId));
}
