import { customDataColumn, importMetaColumn } from '../../db/json.js';
import type { ProductRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** Row → Paddle's product entity. */
export function serializeProduct(row: ProductRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    tax_category: row.tax_category,
    image_url: row.image_url,
    custom_data: customDataColumn.decode(row.custom_data),
    status: row.status,
    import_meta: importMetaColumn.decode(row.import_meta),
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
  };
}

export type ProductEntity = ReturnType<typeof serializeProduct>;
