import { customDataColumn, importMetaColumn, nullableJsonColumn } from '../../db/json.js';
import type { DiscountRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** `restrict_to`: price and product ids, or null for every item. */
export const restrictToColumn = nullableJsonColumn<string[]>();

const flag = (value: bigint | number): boolean => Number(value) === 1;
const count = (value: bigint | null): number | null => (value === null ? null : Number(value));

/** Row → Paddle's discount entity. */
export function serializeDiscount(row: DiscountRow) {
  return {
    id: row.id,
    status: row.status,
    description: row.description,
    enabled_for_checkout: flag(row.enabled_for_checkout),
    code: row.code,
    type: row.type,
    mode: row.mode,
    amount: row.amount,
    currency_code: row.currency_code,
    recur: flag(row.recur),
    maximum_recurring_intervals: count(row.maximum_recurring_intervals),
    usage_limit: count(row.usage_limit),
    restrict_to: restrictToColumn.decode(row.restrict_to),
    expires_at: toWireTime(row.expires_at),
    custom_data: customDataColumn.decode(row.custom_data),
    times_used: Number(row.times_used),
    discount_group_id: row.discount_group_id,
    import_meta: importMetaColumn.decode(row.import_meta),
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
  };
}

export type DiscountEntity = ReturnType<typeof serializeDiscount>;
