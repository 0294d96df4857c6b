// `PATCH /subscriptions/{id}` with items or next_billed_at: proration in the five billing modes. One database
// transaction: plan the change, store the subscription (subscription.updated), then bill what the mode bills now;
// lines for the next renewal wait in `next_period_lines`. A declined payment with `prevent_change` rolls it all back.
import { type Ctx, withTransaction } from '../../../context.js';
import { notFound } from '../../../kernel/errors.js';
import { lockSubscription } from '../repository.js';
import { serializeSubscription, type SubscriptionEntity } from '../serialize.js';
import { linkContext, type Viewer } from '../service.js';
import { applyPlan } from './bill-now.js';
import { planUpdate } from './plan-update.js';
import type { SubscriptionUpdateInput } from './other-changes.js';

export async function changeItems(
  ctx: Ctx,
  viewer: Viewer,
  id: string,
  input: SubscriptionUpdateInput,
): Promise<SubscriptionEntity> {
  const row = await withTransaction(ctx, async (ctx) => {
    const current = await lockSubscription(ctx.db, ctx.tenant, id, ctx.dialect);
    if (!current) throw notFound(id);
    const plan = await planUpdate(ctx, current, input);
    if (plan.after === current) return current;
    return applyPlan(ctx, plan, 'subscription_update', input.on_payment_failure ?? 'prevent_change');
  });
  return serializeSubscription(row, await linkContext(ctx, viewer));
}
