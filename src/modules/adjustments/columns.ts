// The JSON columns of `adjustments`, one codec each: items, totals and tax rates as the entity shows them.
import type { AdjustedFiguresInCurrency } from '../../billing/payouts.js';
import { jsonColumn, nullableJsonColumn } from '../../db/json.js';

export interface StoredAdjustmentItem {
  id: string;
  item_id: string;
  type: 'full' | 'partial';
  /** Minor units as digits: what was asked for (partial), or what was left of the line (full). */
  amount: string;
  proration: unknown;
  totals: { subtotal: string; tax: string; total: string; fee: string; earnings: string; currency_code: string };
}

/**
 * An adjustment's `totals`: the figures in the transaction's currency that its payout totals convert
 * (`retained_fee`: Paddle's fee kept on it, a refund's whole fee, "0" for a credit).
 */
export type StoredAdjustmentTotals = AdjustedFiguresInCurrency;

export interface StoredTaxRateUsed {
  tax_rate: string;
  totals: { subtotal: string; tax: string; total: string };
}

export const adjustmentColumns = {
  items: jsonColumn<StoredAdjustmentItem[]>(),
  totals: jsonColumn<StoredAdjustmentTotals>(),
  payout_totals: nullableJsonColumn<Record<string, unknown>>(),
  tax_rates_used: jsonColumn<StoredTaxRateUsed[]>(),
};
