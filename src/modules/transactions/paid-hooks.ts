// What happens after a transaction is paid, beyond the transaction itself (subscriptions are created here).
// Modules register at import time; payments runs them inside the payment's database transaction.
import type { Ctx } from '../../context.js';
import type { Executor } from '../../db/database.js';
import type { TransactionRow } from '../../db/tables.js';

export interface PaidContext {
  /** The saved payment method the transaction was paid with, if any. */
  paymentMethodId: string | null;
}

/** Returns the row to continue with (e.g. with `subscription_id` set). Must be idempotent per transaction. */
export type PaidHook = (trx: Executor, ctx: Ctx, row: TransactionRow, paid: PaidContext) => Promise<TransactionRow>;

const paidHooks: PaidHook[] = [];
const billedHooks: PaidHook[] = [];

export function onTransactionPaid(hook: PaidHook): void {
  if (!paidHooks.includes(hook)) paidHooks.push(hook);
}

export async function runPaidHooks(
  trx: Executor,
  ctx: Ctx,
  row: TransactionRow,
  paid: PaidContext,
): Promise<TransactionRow> {
  let current = row;
  for (const hook of paidHooks) current = await hook(trx, ctx, current, paid);
  return current;
}

/** Runs when a manually-collected transaction is billed (Paddle creates subscriptions then, before payment). */
export function onManualTransactionBilled(hook: PaidHook): void {
  if (!billedHooks.includes(hook)) billedHooks.push(hook);
}

export async function runBilledHooks(trx: Executor, ctx: Ctx, row: TransactionRow): Promise<TransactionRow> {
  let current = row;
  for (const hook of billedHooks) current = await hook(trx, ctx, current, { paymentMethodId: null });
  return current;
}
