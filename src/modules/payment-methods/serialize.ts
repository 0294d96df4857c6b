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
    south_korea_local_card: null,
    underlying_details: null,
    origin: row.origin,
    saved_at: toWireTime(row.saved_at),
    updated_at: toWireTime(row.updated_at),
  };
}

/**
 * The `payment_method.saved` payload: exactly the seven fields of Paddle's webhook schema ("Payment Method Saved
 * Notification"), without the card details the entity carries.
 */
export function serializePaymentMethodSaved(row: PaymentMethodRow) {
  return {
    id: row.id,
    customer_id: row.customer_id,
    address_id: row.address_id,
    type: row.type,
    origin: row.origin,
    saved_at: toWireTime(row.saved_at),
    updated_at: toWireTime(row.updated_at),
  };
}

/** Why a saved payment method went: Paddle's `deletion_reason` (`api`, or `replaced_by_newer_version`). */
type DeletionReason = 'api' | 'replaced_by_newer_version';

/** The `payment_method.deleted` payload: the saved payload plus `deletion_reason`, as Paddle's webhook schema. */
export function serializePaymentMethodDeleted(row: PaymentMethodRow, reason: DeletionReason) {
  const { id, customer_id, address_id, ...rest } = serializePaymentMethodSaved(row);
  return { id, customer_id, address_id, deletion_reason: reason, ...rest };
}

export type PaymentMethodEntity = ReturnType<typeof serializePaymentMethod>;
