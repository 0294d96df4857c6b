// A customer's credit balance per currency: credits from prorated downgrades go in, later transactions draw
// on it. `available` can be spent, `reserved` is held by billed (unpaid) transactions, `used` has been spent.
import { storableAmount } from '../../kernel/limits.js';
import type { Ctx, TxCtx } from '../../context.js';
import type { CreditBalanceRow } from '../../db/tables.js';
import { toStoredTime } from '../../kernel/time.js';
import { getCustomerRow } from '../customers/service.js';
import { customersWithBalances, listBalances, lockBalance, upsertBalance } from './repository.js';

export function serializeCreditBalance(row: CreditBalanceRow) {
  return {
    customer_id: row.customer_id,
    currency_code: row.currency_code,
    balance: { available: row.available.toString(), reserved: row.reserved.toString(), used: row.used.toString() },
  };
}

export async function listCreditBalances(ctx: Ctx, customerId: string, currencies?: string[]) {
  await getCustomerRow(ctx, customerId);
  return (await listBalances(ctx.db, ctx.tenant, customerId, currencies)).map(serializeCreditBalance);
}

const CREDITLESS = 'credit-balances:creditless';

/**
 * The customers of a batch transaction known to hold no credit balance (nothing known outside a batch). @NOTE
 * unlike what `TxScope.once` usually keeps, units change it: `moveCredit` takes a customer out before writing
 * (a unit rolled back leaves it out, which only costs a read), so it never says "none" of a customer with credit.
 */
async function creditlessCustomers(ctx: Ctx): Promise<Set<string> | undefined> {
  const scope = (ctx as Partial<TxCtx>).scope;
  return scope?.once(CREDITLESS, () => Promise.resolve(new Set<string>()));
}

/**
 * Reads which of `customerIds` hold no credit balance, in one query, for the units of a batch transaction
 * (renewals): `availableCredit` then answers 0 for them without a query of its own. Nothing outside a batch.
 */
export async function prefetchCreditBalances(ctx: TxCtx, customerIds: readonly string[]): Promise<void> {
  const scope = ctx.scope;
  if (!scope) return;
  const holders = await customersWithBalances(ctx.db, ctx.tenant, customerIds);
  // A batch claims its subscriptions in chunks: each chunk's customers join those of the chunks before.
  const creditless = await creditlessCustomers(ctx);
  for (const id of customerIds) if (!holders.has(id)) creditless?.add(id);
}

/** Credit the customer can spend now in `currency` (0 when there is no balance). */
export async function availableCredit(ctx: Ctx, customerId: string, currency: string): Promise<bigint> {
  if ((await creditlessCustomers(ctx))?.has(customerId)) return 0n;
  const [row] = await listBalances(ctx.db, ctx.tenant, customerId, [currency]);
  return row ? BigInt(row.available) : 0n;
}

export type BalanceMovement =
  /** Credit arising (a prorated downgrade): available += amount. */
  | { kind: 'add'; amount: bigint }
  /** Credit held by a billed, unpaid transaction: available → reserved. */
  | { kind: 'reserve'; amount: bigint }
  /** Credit spent when a transaction is paid: from available (or from reserved when it was reserved). */
  | { kind: 'use'; amount: bigint; fromReserved: boolean }
  /** A canceled transaction gives its reserved credit back: reserved → available. */
  | { kind: 'release'; amount: bigint };

/** Moves credit inside the caller's database transaction; never lets available go below zero. */
export async function moveCredit(
  ctx: TxCtx,
  customerId: string,
  currency: string,
  movement: BalanceMovement,
): Promise<void> {
  if (movement.amount === 0n) return;
  (await creditlessCustomers(ctx))?.delete(customerId);
  const current = await lockBalance(ctx.db, ctx.tenant, customerId, currency, ctx.dialect);
  const balance = {
    available: current ? BigInt(current.available) : 0n,
    reserved: current ? BigInt(current.reserved) : 0n,
    used: current ? BigInt(current.used) : 0n,
  };
  switch (movement.kind) {
    case 'add':
      balance.available += movement.amount;
      break;
    case 'reserve':
      balance.available -= movement.amount;
      balance.reserved += movement.amount;
      break;
    case 'use':
      if (movement.fromReserved) balance.reserved -= movement.amount;
      else balance.available -= movement.amount;
      balance.used += movement.amount;
      break;
    case 'release':
      balance.reserved -= movement.amount;
      balance.available += movement.amount;
      break;
  }
  if (balance.available < 0n || balance.reserved < 0n)
    throw new Error(`credit balance of ${customerId} in ${currency} would go negative`);
  for (const amount of Object.values(balance)) storableAmount(amount);
  await upsertBalance(ctx.db, {
    ...ctx.tenant,
    customer_id: customerId,
    currency_code: currency,
    ...balance,
    updated_at: toStoredTime(ctx.clock.now()),
  });
}
