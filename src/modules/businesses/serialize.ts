import { fromJsonColumn } from '../../db/json.js';
import type { BusinessRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

export interface BusinessContact {
  name: string;
  email: string;
}

/** Row → Paddle's business entity. */
export function serializeBusiness(row: BusinessRow) {
  return {
    id: row.id,
    customer_id: row.customer_id,
    name: row.name,
    company_number: row.company_number,
    tax_identifier: row.tax_identifier,
    status: row.status,
    contacts: fromJsonColumn<BusinessContact[]>(row.contacts) ?? [],
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
    custom_data: fromJsonColumn(row.custom_data),
    import_meta: fromJsonColumn(row.import_meta),
  };
}

export type BusinessEntity = ReturnType<typeof serializeBusiness>;
