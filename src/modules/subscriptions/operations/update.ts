// `PATCH /subscriptions/{id}`: the fields that need no billing (custom data, addresses, collection settings,
// removing a scheduled change). Item and next_billed_at changes with proration are in operations/change-items.ts.
import { type Ctx, withTransaction } from '../../../context.js';
import { assertCanUpdate, removeScheduledChange } from '../../../billing/subscription-lifecycle.js';
import { recordEvent } from '../../../events/record.js';
import { notFound } from '../../../kernel/errors.js';
import { lockSubscription, updateSubscription as updateRow } from '../repository.js';
import { serializeSubscription, serializeSubscriptionForEvent, type SubscriptionEntity } from '../serialize.js';
import { applyTransition, linkContext, type Viewer } from '../service.js';
import { stateOf } from '../state.js';
import { withDiscountChange } from '../discount.js';
import { changeItems } from './change-items.js';
import { applyOtherChanges, hasOtherChanges, type SubscriptionUpdateInput } from './other-changes.js';

const BILLING_FIELDS: Array<keyof SubscriptionUpdateInput> = ['items', 'next_billed_at'];

export async function updateSubscription(
  ctx: Ctx,
  viewer: Viewer,
  id: string,
  input: SubscriptionUpdateInput,
): Promise<SubscriptionEntity> {
  if (BILLING_FIELDS.some((field) => input[field] !== undefined)) {
    return changeItems(ctx, viewer, id, input);
  }
  const row = await withTransaction(ctx, async (ctx) => {
    let current = await lockSubscription(ctx.db, ctx.tenant, id, ctx.dialect);
    if (!current) throw notFound(id);
    const now = ctx.clock.now();
    if (input.scheduled_change === null) {
      current = await applyTransition(ctx, current, removeScheduledChange(stateOf(current), now));
    }
    if (!hasOtherChanges(input) && input.discount === undefined) return current;
    assertCanUpdate(stateOf(current), { items: false, next_billed_at: null, proration_billing_mode: null }, now);
    const next = await withDiscountChange(ctx, await applyOtherChanges(ctx, current, input, now), input.discount);
    await updateRow(ctx.db, next);
    await recordEvent(ctx, 'subscription.updated', serializeSubscriptionForEvent(next));
    return next;
  });
  return serializeSubscription(row, await linkContext(ctx, viewer));
}
