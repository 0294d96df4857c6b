import { customDataColumn, importMetaColumn, jsonColumn } from '../../db/json.js';
import type { BusinessRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

export interface BusinessContact {
  name: string;
  email: string;
}

/** The JSON columns of `businesses`, one codec each. */
export const businessColumns = {
  contacts: jsonColumn<BusinessContact[]>(),
  custom_data: customDataColumn,
  import_meta: importMetaColumn,
};

/** Row → Paddle's business entity. */
export function serializeBusiness(row: BusinessRow) {
  return {
    id: row.id,
    customer_id: row.customer_id,
    name: row.name,
    company_number: row.company_number,
    tax_identifier: row.tax_identifier,
    status: row.status,
    contacts: businessColumns.contacts.decode(row.contacts),
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    custom_data: businessColumns.custom_data.decode(row.custom_data),
    import_meta: businessColumns.import_meta.decode(row.import_meta),
  };
}
