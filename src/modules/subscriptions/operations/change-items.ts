// `PATCH /subscriptions/{id}` with items or next_billed_at: proration in the five billing modes. One database
// transaction: plan the change, store the subscription (subscription.updated), then bill what the mode bills now;
// lines for the next renewal wait in `next_period_lines`. A declined payment with `prevent_change` rolls it all back.
import type { Ctx } from '../../../context.js';
import { recordEvent } from '../../../events/record.js';
import { notFound } from '../../../kernel/errors.js';
import { lockSubscription, updateSubscription } from '../repository.js';
import { serializeSubscription, serializeSubscriptionForEvent, type SubscriptionEntity } from '../serialize.js';
import { linkContext, type Viewer } from '../service.js';
import { billNow } from './bill-now.js';
import { planUpdate } from './plan-update.js';
import type { SubscriptionUpdateInput } from './update.js';

export async function changeItems(ctx: Ctx, viewer: Viewer, id: string, input: SubscriptionUpdateInput): Promise<SubscriptionEntity> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const current = await lockSubscription(trx, ctx.tenant, id, ctx.dialect);
    if (!current) throw notFound(id);
    const plan = await planUpdate(trx, ctx, current, input);
    if (plan.after === current) return current;
    await updateSubscription(trx, plan.after);
    await recordEvent(trx, ctx, 'subscription.updated', serializeSubscriptionForEvent(plan.after));
    if (plan.billNow.length > 0) {
      await billNow(trx, ctx, plan.after, {
        origin: 'subscription_update',
        lines: plan.billNow,
        billingPeriod: plan.immediatePeriod,
        onPaymentFailure: input.on_payment_failure ?? 'prevent_change',
      });
    }
    return plan.after;
  });
  return serializeSubscription(row, await linkContext(ctx, viewer));
}
