// What the clock does to adjustments: pending refunds are approved ten minutes after they were made (Paddle
// approves sandbox refunds "every ten minutes"), each in its own database transaction with the row claimed, at the
// instant it fell due. Re-running is harmless: an approved refund is no longer due.
import { type Ctx, withTransaction } from '../../context.js';
import type { DueRun, DueWorkRunner } from '../module.js';
import { dueIdsOncePerCall } from '../../kernel/due-units.js';
import { clockStartingAt, nextTurn } from '../../kernel/clock.js';
import { instantFromStored, toStoredTime } from '../../kernel/time.js';
import { claimAdjustment, dueApprovalIds, earliestApproval } from './repository.js';
import { approveDueRefund } from './service.js';

const BATCH = 100;

async function approveOne(ctx: Ctx, id: string): Promise<'done' | 'busy' | 'not_due'> {
  return withTransaction(ctx, async (ctx) => {
    const row = await claimAdjustment(ctx.db, ctx.tenant, id, ctx.dialect);
    if (!row) return 'busy';
    if (!row.approve_at) return 'not_due';
    const at = clockStartingAt(ctx.clock, instantFromStored(row.approve_at));
    return (await approveDueRefund({ ...ctx, clock: at }, row, at.now())) ? 'done' : 'not_due';
  });
}

export const adjustmentDueWork: DueWorkRunner = {
  name: 'adjustments',
  async nextDueAt(ctx, after) {
    const due = await earliestApproval(ctx.db, ctx.tenant, after ? toStoredTime(after) : undefined);
    return due ? instantFromStored(due) : undefined;
  },
  async runDue(ctx, limit) {
    const until = toStoredTime(ctx.clock.now());
    const run: DueRun = { done: 0, busy: 0, failed: 0, more: false };
    for await (const ids of dueIdsOncePerCall((n) => dueApprovalIds(ctx.db, ctx.tenant, until, n), BATCH)) {
      for (const id of ids) {
        if (run.done >= limit) return { ...run, more: true };
        const outcome = await approveOne(ctx, id).catch((error: unknown) => {
          process.emitWarning(
            `approving refund ${id} failed and stays due: ${error instanceof Error ? error.message : String(error)}`,
            'PaddockDueWorkWarning',
          );
          return 'failed' as const;
        });
        if (outcome === 'done') run.done += 1;
        else if (outcome === 'busy') run.busy += 1;
        else if (outcome === 'failed') run.failed += 1;
        await nextTurn();
      }
    }
    return run;
  },
};
