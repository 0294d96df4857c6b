import type { AdjustmentRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';
import { adjustmentColumns } from './columns.js';

/** Row → Paddle's adjustment entity (the same shape in API answers and `adjustment.*` event payloads). */
export function serializeAdjustment(row: AdjustmentRow) {
  return {
    id: row.id,
    action: row.action,
    type: row.type,
    transaction_id: row.transaction_id,
    subscription_id: row.subscription_id,
    customer_id: row.customer_id,
    reason: row.reason,
    credit_applied_to_balance:
      row.credit_applied_to_balance === null ? null : Number(row.credit_applied_to_balance) === 1,
    currency_code: row.currency_code,
    status: row.status,
    items: adjustmentColumns.items.decode(row.items),
    totals: adjustmentColumns.totals.decode(row.totals),
    payout_totals: adjustmentColumns.payout_totals.decode(row.payout_totals),
    tax_rates_used: adjustmentColumns.tax_rates_used.decode(row.tax_rates_used),
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
  };
}

export type AdjustmentEntity = ReturnType<typeof serializeAdjustment>;
