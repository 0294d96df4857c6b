// `POST /subscriptions/{id}/charge`: one-time prices billed to a subscription, now (a `subscription_charge`
// transaction charged with the saved method) or with the next renewal (added to `next_period_lines`). The charges
// are not items of the subscription; the answer is the subscription (201).
import { type Ctx, withTransaction, type TxCtx } from '../../../context.js';
import type { SubscriptionRow } from '../../../db/tables.js';
import type { TimePeriod } from '../../../billing/periods.js';
import { assertCanCharge } from '../../../billing/subscription-lifecycle.js';
import { invalidField, notFound } from '../../../kernel/errors.js';
import { toStoredTime } from '../../../kernel/time.js';
import type { ResolvedItem } from '../../transactions/items.js';
import { withNextPeriodLines } from '../billing.js';
import { countryOf, unitPriceIn } from '../includes.js';
import { lockSubscription } from '../repository.js';
import { serializeSubscription, type SubscriptionEntity } from '../serialize.js';
import { linkContext, type Viewer } from '../service.js';
import { stateOf } from '../state.js';
import { applyPlan } from './bill-now.js';
import { resolveChargeItems } from './resolve-items.js';
import type { OperationBody } from '../../../spec/operations.js';

/** The body of Paddle's create-subscription-charge (and its preview): `effective_from` and one-time `items`. */
export type ChargeInput = OperationBody<'create-subscription-charge'>;

export interface ChargePlan {
  after: SubscriptionRow;
  billNow: ResolvedItem[];
  billNext: ResolvedItem[];
  immediatePeriod: TimePeriod;
}

/** The charge applied to `current` in memory. */
export async function planCharge(ctx: TxCtx, current: SubscriptionRow, input: ChargeInput): Promise<ChargePlan> {
  const now = ctx.clock.now();
  assertCanCharge(stateOf(current), input.effective_from, now);
  const lines = await resolveChargeItems(ctx, input.items);
  const country = await countryOf(ctx, current);
  lines.forEach((line, index) => {
    if (!unitPriceIn(line.price, current.currency_code, country)) {
      throw invalidField([
        {
          field: `items[${index}].price_id`,
          message: `price ${line.price_id} has no unit price in ${current.currency_code}`,
        },
      ]);
    }
  });
  const touched = { ...current, updated_at: toStoredTime(now) };
  const period = stateOf(current).current_billing_period;
  const immediatePeriod = { starts_at: now, ends_at: period?.ends_at ?? now };
  if (input.effective_from === 'immediately') return { after: touched, billNow: lines, billNext: [], immediatePeriod };
  return { after: withNextPeriodLines(touched, lines), billNow: [], billNext: lines, immediatePeriod };
}

export async function createSubscriptionCharge(
  ctx: Ctx,
  viewer: Viewer,
  id: string,
  input: ChargeInput,
): Promise<SubscriptionEntity> {
  const row = await withTransaction(ctx, async (ctx) => {
    const current = await lockSubscription(ctx.db, ctx.tenant, id, ctx.dialect);
    if (!current) throw notFound(id);
    const plan = await planCharge(ctx, current, input);
    // @NOTE Paddle's example answer has a new updated_at; we record the change as subscription.updated too.
    return applyPlan(ctx, plan, 'subscription_charge', input.on_payment_failure ?? 'prevent_change');
  });
  return serializeSubscription(row, await linkContext(ctx, viewer));
}
