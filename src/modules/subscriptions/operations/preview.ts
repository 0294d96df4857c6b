// `PATCH /subscriptions/{id}/preview` and `POST /subscriptions/{id}/charge/preview`: the same planning as the real
// operations, run in a database transaction that is always rolled back (non-catalog prices a request brings are
// created and discarded), answered as Paddle's subscription-preview: the subscription after the change, the
// immediate transaction, the next one, the recurring one and the update summary.
import { type Ctx, type TxCtx, withTransaction } from '../../../context.js';
import type { SubscriptionRow } from '../../../db/tables.js';
import type { TimePeriod } from '../../../billing/periods.js';
import { assertChargeable } from '../../../billing/minimum-charge.js';
import { toWireUpdateSummary, updateSummary } from '../../../billing/proration.js';
import { notFound } from '../../../kernel/errors.js';
import { parseAmount } from '../../../kernel/money.js';
import type { ResolvedItem } from '../../transactions/items.js';
import {
  nextTransaction,
  previewDetails,
  recurringTransactionDetails,
  wirePeriod,
  type NextTransactionPreview,
  type PreviewDetails,
} from '../includes.js';
import { findSubscription } from '../repository.js';
import { serializeSubscription } from '../serialize.js';
import { linkContext, type Viewer } from '../service.js';
import { planCharge, type ChargeInput } from './charge.js';
import { planUpdate } from './plan-update.js';
import type { SubscriptionUpdateInput } from './other-changes.js';

interface Planned {
  after: SubscriptionRow;
  billNow: ResolvedItem[];
  billNext: ResolvedItem[];
  immediatePeriod: TimePeriod;
  /** Whether the preview has an update summary (item or billing-date changes, one-time charges). */
  summarise: boolean;
}

interface Previewed {
  after: SubscriptionRow;
  immediate_transaction: NextTransactionPreview | null;
  next_transaction: NextTransactionPreview | null;
  recurring_transaction_details: PreviewDetails;
  update_summary: ReturnType<typeof toWireUpdateSummary> | null;
}

class Rollback extends Error {
  constructor(readonly result: Previewed) {
    super('preview rolled back');
  }
}

/** Runs `plan` and prices the result inside a database transaction that is rolled back whatever happens. */
async function rolledBack(
  ctx: Ctx,
  id: string,
  plan: (ctx: TxCtx, row: SubscriptionRow) => Promise<Planned>,
): Promise<Previewed> {
  try {
    await withTransaction(ctx, async (ctx) => {
      const current = await findSubscription(ctx.db, ctx.tenant, id);
      if (!current) throw notFound(id);
      throw new Rollback(await price(ctx, await plan(ctx, current)));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

async function price(ctx: Ctx, planned: Planned): Promise<Previewed> {
  const { after } = planned;
  const immediate =
    planned.billNow.length > 0
      ? {
          billing_period: wirePeriod(planned.immediatePeriod),
          details: await previewDetails(ctx, after, planned.billNow),
          adjustments: [],
        }
      : null;
  // The preview refuses what the update would refuse: an immediate charge Paddle cannot collect.
  if (immediate) {
    assertChargeable(
      parseAmount(immediate.details.totals.grand_total),
      after.currency_code,
      'subscription_update_transaction_balance_less_than_charge_limit',
    );
  }
  // Credit the immediate transaction uses or creates moves the balance the next transaction draws on.
  const creditAdjust = immediate
    ? parseAmount(immediate.details.totals.credit_to_balance) - parseAmount(immediate.details.totals.credit)
    : 0n;
  const changed =
    immediate?.details ?? (planned.billNext.length > 0 ? await previewDetails(ctx, after, planned.billNext) : null);
  const totals = (changed?.line_items ?? []).map((line) => ({
    amount: parseAmount(line.totals.total),
    currency: after.currency_code,
  }));
  return {
    after,
    immediate_transaction: immediate,
    next_transaction: await nextTransaction(ctx, after, creditAdjust),
    recurring_transaction_details: await recurringTransactionDetails(ctx, after, ctx.clock.now()),
    update_summary: planned.summarise ? toWireUpdateSummary(updateSummary(totals, after.currency_code)) : null,
  };
}

/** The previewed subscription as Paddle shows it: the entity without `id` (Paddle's example and SDKs have none). */
async function answer(ctx: Ctx, viewer: Viewer, previewed: Previewed) {
  const { id: _id, ...entity } = await serializeSubscription(previewed.after, await linkContext(ctx, viewer));
  return {
    ...entity,
    immediate_transaction: previewed.immediate_transaction,
    next_transaction: previewed.next_transaction,
    recurring_transaction_details: previewed.recurring_transaction_details,
    update_summary: previewed.update_summary,
  };
}

export async function previewSubscriptionUpdate(ctx: Ctx, viewer: Viewer, id: string, input: SubscriptionUpdateInput) {
  const previewed = await rolledBack(ctx, id, async (ctx, current) => {
    const plan = await planUpdate(ctx, current, input);
    return { ...plan, summarise: plan.billing };
  });
  return answer(ctx, viewer, previewed);
}

export async function previewSubscriptionCharge(ctx: Ctx, viewer: Viewer, id: string, input: ChargeInput) {
  const previewed = await rolledBack(ctx, id, async (ctx, current) => ({
    ...(await planCharge(ctx, current, input)),
    summarise: true,
  }));
  return answer(ctx, viewer, previewed);
}
