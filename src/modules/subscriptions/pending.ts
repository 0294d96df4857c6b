// A batch transaction's changed subscriptions (renewals, issue #10), written in one statement just before the
// commit (kernel/pending-rows.ts) instead of one update per renewal. Outside a batch every write goes to the
// database at once, as before. @NOTE reads of subscriptions inside a batch go through `pendingSubscription`
// (by id) or `writePendingSubscriptions` (anything else) first; the API's operations never run in a batch.
import type { Ctx, TxCtx } from '../../context.js';
import type { Trx } from '../../db/database.js';
import type { SubscriptionRow } from '../../db/tables.js';
import { PendingRows } from '../../kernel/pending-rows.js';
import { updateSubscription, writeSubscriptions } from './repository.js';

/** Flushed with the batch's other rows (0.5): after the invoice numbers, before the events whose reactions read. */
function pendingRows(ctx: Ctx): PendingRows<SubscriptionRow, Trx> | undefined {
  return (ctx as Partial<TxCtx>).scope?.deferred(
    'pending-subscriptions',
    () => new PendingRows(writeSubscriptions, 0.5),
  );
}

/** Writes the subscription's whole row: now, or in a batch transaction at its commit. */
export async function writeSubscriptionRow(ctx: TxCtx, row: SubscriptionRow): Promise<void> {
  const pending = pendingRows(ctx);
  if (!pending) return updateSubscription(ctx.db, row);
  pending.add(row);
}

/** The batch's pending version of subscription `id`, if this batch changed it. */
export function pendingSubscription(ctx: Ctx, id: string): SubscriptionRow | undefined {
  return pendingRows(ctx)?.pending(id);
}

/** Writes the batch's pending subscriptions now: before a read that cannot look at them. Nothing outside a batch. */
export async function writePendingSubscriptions(ctx: Ctx): Promise<void> {
  if (!(ctx as Partial<TxCtx>).scope) return;
  await pendingRows(ctx)?.writeNow((ctx as TxCtx).db);
}
