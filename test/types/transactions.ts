// Compile-time rules for database transactions, checked by `tsc --noEmit` and by src/context.test.ts (which
// compiles this file). Each `@ts-expect-error` marks a misuse that must not compile: if a change made it compile
// (a lock helper taking the database again, say), the directive itself becomes the error.
import type { Ctx, TxCtx } from '../../src/context.js';
import type { Db, Trx } from '../../src/db/database.js';
import { lockById } from '../../src/db/find-by-id.js';
import { recordEvent } from '../../src/events/record.js';
import { claimSubscriptions, lockSubscription } from '../../src/modules/subscriptions/repository.js';

export async function lockingNeedsATransaction(db: Db, trx: Trx, ctx: Ctx, tx: TxCtx): Promise<void> {
  // @ts-expect-error the database is not a transaction: a row lock outside one is released at once.
  await lockById(db, 'customers', ctx.tenant, 'ctm_1', 'postgres');
  await lockById(trx, 'customers', ctx.tenant, 'ctm_1', 'postgres');

  // @ts-expect-error a plain context's db is the database, not the transaction the lock must belong to.
  await lockSubscription(ctx.db, ctx.tenant, 'sub_1', ctx.dialect);
  await lockSubscription(tx.db, tx.tenant, 'sub_1', tx.dialect);

  // @ts-expect-error claiming due work (SKIP LOCKED) also needs a transaction.
  await claimSubscriptions(db, ctx.tenant, ['sub_1'], 'postgres');
  await claimSubscriptions(trx, ctx.tenant, ['sub_1'], 'postgres');
}

export async function eventsNeedATransaction(ctx: Ctx, tx: TxCtx): Promise<void> {
  // @ts-expect-error an event commits with the change it describes, so it is recorded inside a transaction only.
  await recordEvent(ctx, 'customer.created', {});
  await recordEvent(tx, 'customer.created', {});
}

export function aBoundContextIsAContext(ctx: Ctx, tx: TxCtx): Ctx {
  // @ts-expect-error a context is not bound to a transaction by saying so: `withTransaction` binds it.
  const bound: TxCtx = ctx;
  void bound;
  // Reads take any context, a bound one included, so they stay inside the transaction.
  return tx;
}
