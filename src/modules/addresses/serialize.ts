import { customDataColumn, importMetaColumn } from '../../db/json.js';
import type { AddressRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** Row → Paddle's address entity. */
export function serializeAddress(row: AddressRow) {
  return {
    id: row.id,
    customer_id: row.customer_id,
    description: row.description,
    first_line: row.first_line,
    second_line: row.second_line,
    city: row.city,
    postal_code: row.postal_code,
    region: row.region,
    country_code: row.country_code,
    custom_data: customDataColumn.decode(row.custom_data),
    status: row.status,
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    import_meta: importMetaColumn.decode(row.import_meta),
  };
}
