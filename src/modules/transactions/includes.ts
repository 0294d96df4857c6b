// `include` on transactions: related entities added as extra keys on the transaction (Paddle's shape).
import type { Ctx } from '../../context.js';
import { getAddress } from '../addresses/service.js';
import { getBusiness } from '../businesses/service.js';
import { getCustomer } from '../customers/service.js';
import { discountEntity } from '../discounts/redemption.js';
import type { TransactionEntity } from './serialize.js';

/** Paddock takes cards only; this is what checkout offers for every transaction. */
export const AVAILABLE_PAYMENT_METHODS = ['card'] as const;

/** The transaction's adjustments and their totals, as the adjustments module reads them. */
export interface TransactionAdjustments {
  adjustments: unknown[];
  totals: object;
}

export async function withIncludes(
  ctx: Ctx,
  entity: TransactionEntity,
  include: Set<string>,
  adjusted?: TransactionAdjustments,
): Promise<Record<string, unknown>> {
  const extra: Record<string, unknown> = {};
  if (include.has('customer') && entity.customer_id) extra.customer = await getCustomer(ctx, entity.customer_id);
  if (include.has('address') && entity.customer_id && entity.address_id) {
    extra.address = await getAddress(ctx, entity.customer_id, entity.address_id);
  }
  if (include.has('business') && entity.customer_id && entity.business_id) {
    extra.business = await getBusiness(ctx, entity.customer_id, entity.business_id);
  }
  if (include.has('discount') && entity.discount_id) {
    const discount = await discountEntity(ctx, entity.discount_id);
    if (discount) extra.discount = discount;
  }
  // The adjustments module answers these (the routes compose it in): none given means none made.
  if (include.has('adjustments')) extra.adjustments = adjusted?.adjustments ?? [];
  if (include.has('adjustments_totals')) {
    extra.adjustments_totals = adjusted?.totals ?? {
      subtotal: '0',
      tax: '0',
      total: '0',
      fee: '0',
      earnings: '0',
      breakdown: { credit: '0', refund: '0', chargeback: '0' },
      currency_code: entity.currency_code,
    };
  }
  if (include.has('available_payment_methods')) extra.available_payment_methods = [...AVAILABLE_PAYMENT_METHODS];
  return { ...entity, ...extra };
}
