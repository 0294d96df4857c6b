// What the clock makes happen to subscriptions: scheduled changes, renewals and payment retries, each in its
// own database transaction with the row locked, at the instant it fell due. Re-running is harmless: a row
// whose work is done is no longer due.
import { type Ctx, type TxCtx, withTransaction } from '../../context.js';
import { applyScheduledChange, dueAction, dunningExhausted, renew } from '../../billing/subscription-lifecycle.js';
import type { DueWorkRunner } from '../module.js';
import { instantFromStored, toStoredTime, Temporal } from '../../kernel/time.js';
import { portalOfTenant } from '../sellers/service.js';
import { findPastDueTransaction } from '../transactions/service.js';
import type { SubscriptionRow } from '../../db/tables.js';
import { collect, DUNNING_DAYS, storeTransition } from './billing.js';
import { claimSubscription, dueSubscriptionIds, earliestDue } from './repository.js';
import { applyTransition } from './service.js';
import { stateOf } from './state.js';

const BATCH = 100;

async function runOne(ctx: Ctx, id: string): Promise<void> {
  await withTransaction(ctx, async (ctx) => {
    const row = await claimSubscription(ctx.db, ctx.tenant, id, ctx.dialect);
    if (!row?.next_due_at) return;
    const now = ctx.clock.now();
    if (Temporal.Instant.compare(instantFromStored(row.next_due_at), now) > 0) return;
    const state = stateOf(row);
    const action = dueAction(state, now);
    if (action === 'apply_scheduled_change') {
      await applyTransition(ctx, row, applyScheduledChange(state, now));
      return;
    }
    if (row.status === 'past_due' && row.retry_at && row.retry_at <= toStoredTime(now)) {
      await retry(ctx, row);
      return;
    }
    if (action === 'renew') await applyTransition(ctx, row, renew(state, now));
  });
}

/** A payment retry of a past-due subscription, or, 30 days after the failure, the end of dunning. */
async function retry(ctx: TxCtx, row: SubscriptionRow): Promise<void> {
  const since = instantFromStored(row.past_due_since ?? row.retry_at!);
  if (Temporal.Instant.compare(ctx.clock.now(), since.add({ hours: DUNNING_DAYS * 24 })) >= 0) {
    await storeTransition(ctx, row, dunningExhausted(stateOf(row), ctx.clock.now()), { retry_at: null });
    return;
  }
  const transaction = await findPastDueTransaction(ctx, row.id);
  if (!transaction) {
    await storeTransition(ctx, row, { state: stateOf(row), events: [], bill: null }, { retry_at: null });
    return;
  }
  const portal = await portalOfTenant(ctx.db, ctx.tenant);
  await collect(ctx, row, transaction.id, portal.portalId);
}

function reportFailure(ctx: Ctx, id: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `due work for subscription ${id} (${ctx.tenant.seller_id}/${ctx.tenant.environment}) failed and stays due: ${detail}`,
    'PaddockDueWorkWarning',
  );
}

export const subscriptionDueWork: DueWorkRunner = {
  name: 'subscriptions',
  async nextDueAt(ctx) {
    const due = await earliestDue(ctx.db, ctx.tenant);
    return due ? instantFromStored(due) : undefined;
  },
  async runDue(ctx) {
    const now = toStoredTime(ctx.clock.now());
    // @NOTE each subscription is handled once per call; whatever falls due again (a renewal right after a
    // resume) is picked up by the clock's next step.
    const seen = new Set<string>();
    for (;;) {
      const ids = (await dueSubscriptionIds(ctx.db, ctx.tenant, now, BATCH + seen.size)).filter((id) => !seen.has(id));
      if (ids.length === 0) return;
      for (const id of ids) {
        seen.add(id);
        // @NOTE one subscription that cannot be processed (its renewal cannot be priced, say) must not stop the
        // others, nor the sandbox clock: its database transaction rolled back, it stays due, and the next run
        // tries it again.
        await runOne(ctx, id).catch((error: unknown) => reportFailure(ctx, id, error));
      }
    }
  },
};
