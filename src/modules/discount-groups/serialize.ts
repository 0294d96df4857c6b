import { importMetaColumn } from '../../db/json.js';
import type { DiscountGroupRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** Row → Paddle's discount group entity (api-reference/discount-groups/overview). */
export function serializeDiscountGroup(row: DiscountGroupRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    import_meta: importMetaColumn.decode(row.import_meta),
  };
}

export type DiscountGroupEntity = ReturnType<typeof serializeDiscountGroup>;
