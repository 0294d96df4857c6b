// The JSON columns of `transactions` and `payment_attempts`, one codec each (db/json.ts): every read and write of
// these columns goes through here.
import { withNewerTotalsFields, type StoredTotalsDetails, type TotalsDetails } from '../../billing/totals.js';
import { customDataColumn, jsonColumn, nullableJsonColumn, periodColumn, type JsonColumn } from '../../db/json.js';
import type { ProductEntity } from '../products/serialize.js';
import type { CardDetails } from '../payment-methods/serialize.js';
import type { ResolvedItem } from './items.js';
import type { BillingDetails } from './service.js';

/** An item as stored: its price snapshot and quantity; its product is kept in `details.line_items`. */
export type StoredTransactionItem = Omit<ResolvedItem, 'product' | 'inline'>;

/**
 * Paddle's `details` object as pricing built it (totals are decimal strings in minor units), and what completion
 * and adjustments add (`payout_totals`, …).
 */
export type StoredTransactionDetails = TotalsDetails<ProductEntity> & { [field: string]: unknown };

/** What a payment attempt was made with (`payment_attempts.method_details`). */
export interface StoredMethodDetails {
  type: string;
  card: CardDetails | null;
}

/**
 * `transactions.details`: read back in today's shape, with the fields Paddle added after a row was stored filled in
 * the way Paddle fills them for its own older transactions (`withNewerTotalsFields`).
 */
const detailsColumn: JsonColumn<StoredTransactionDetails> = {
  encode: (value) => JSON.stringify(value),
  decode: (text) => {
    const stored: StoredTotalsDetails & Omit<StoredTransactionDetails, keyof StoredTotalsDetails> = JSON.parse(text);
    return { ...stored, ...withNewerTotalsFields(stored) } as StoredTransactionDetails;
  },
};

export const transactionColumns = {
  items: jsonColumn<StoredTransactionItem[]>(),
  details: detailsColumn,
  billing_details: nullableJsonColumn<BillingDetails>(),
  billing_period: periodColumn,
  custom_data: customDataColumn,
};

export const paymentAttemptColumns = {
  method_details: jsonColumn<StoredMethodDetails>(),
};
