// What happens after a transaction is paid (or billed, for manual collection), beyond the transaction itself:
// other modules' reactions, declared in their module entries and reached through `ctx.wiring` (subscriptions are
// created here). They run inside the payment's database transaction, in module order.
import type { TxCtx } from '../../context.js';
import type { TransactionRow } from '../../db/tables.js';
import type { PaidContext, TransactionReaction } from '../module.js';

async function runReactions(
  reactions: readonly TransactionReaction[],
  ctx: TxCtx,
  row: TransactionRow,
  paid: PaidContext,
): Promise<TransactionRow> {
  let current = row;
  for (const react of reactions) current = await react(ctx, current, paid);
  return current;
}

/** Runs every module's `transactionPaid` reaction; returns the row as the last reaction left it. */
export function runPaidHooks(ctx: TxCtx, row: TransactionRow, paid: PaidContext): Promise<TransactionRow> {
  return runReactions(ctx.wiring.reactions.transactionPaid, ctx, row, paid);
}

/** Runs every module's `manualTransactionBilled` reaction (Paddle creates subscriptions then, before payment). */
export function runBilledHooks(ctx: TxCtx, row: TransactionRow): Promise<TransactionRow> {
  return runReactions(ctx.wiring.reactions.manualTransactionBilled, ctx, row, { paymentMethodId: null });
}
