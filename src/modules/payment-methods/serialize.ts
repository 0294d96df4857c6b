import { nullableJsonColumn } from '../../db/json.js';
import type { PaymentMethodRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

export interface CardDetails {
  type: string;
  last4: string;
  expiry_month: number;
  expiry_year: number;
  cardholder_name: string;
}

/** `payment_methods.card`, through this codec only. */
export const paymentMethodColumns = { card: nullableJsonColumn<CardDetails>() };

/** Row → Paddle's saved payment method entity (cards only in Paddock). */
export function serializePaymentMethod(row: PaymentMethodRow) {
  return {
    id: row.id,
    customer_id: row.customer_id,
    address_id: row.address_id,
    type: row.type,
    card: paymentMethodColumns.card.decode(row.card),
    paypal: null,
    underlying_details: null,
    origin: row.origin,
    saved_at: toWireTime(row.saved_at),
    updated_at: toWireTime(row.updated_at),
  };
}

export type PaymentMethodEntity = ReturnType<typeof serializePaymentMethod>;
