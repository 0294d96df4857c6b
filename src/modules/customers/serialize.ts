import { customDataColumn, importMetaColumn } from '../../db/json.js';
import type { CustomerRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** Row → Paddle's customer entity. */
export function serializeCustomer(row: CustomerRow) {
  return {
    id: row.id,
    status: row.status,
    custom_data: customDataColumn.decode(row.custom_data),
    name: row.name,
    email: row.email,
    marketing_consent: Number(row.marketing_consent) === 1,
    locale: row.locale,
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    import_meta: importMetaColumn.decode(row.import_meta),
  };
}

export type CustomerEntity = ReturnType<typeof serializeCustomer>;
