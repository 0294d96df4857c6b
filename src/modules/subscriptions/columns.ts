// The JSON columns of `subscriptions`, one codec each (db/json.ts): every read and write of these columns goes
// through here.
import type { Duration } from '../../billing/periods.js';
import type { ScheduledChange } from '../../billing/subscription-lifecycle.js';
import {
  customDataColumn,
  importMetaColumn,
  jsonColumn,
  nullableJsonColumn,
  periodColumn,
  type JsonObject,
} from '../../db/json.js';
import type { PriceEntity } from '../prices/serialize.js';
import type { ProductEntity } from '../products/serialize.js';
import type { ResolvedItem } from '../transactions/items.js';
import type { SubscriptionItemStatus } from '../../billing/subscription-lifecycle.js';

/** One stored item: Paddle's item fields, times in stored form. */
export interface StoredItem {
  status: SubscriptionItemStatus;
  quantity: number;
  recurring: boolean;
  created_at: string;
  updated_at: string;
  previously_billed_at: string | null;
  next_billed_at: string | null;
  trial_dates: { starts_at: string; ends_at: string } | null;
  price: PriceEntity;
  product: ProductEntity;
}

/** A scheduled change, times in stored form. */
export interface StoredScheduledChange {
  action: ScheduledChange['action'];
  effective_at: string;
  resume_at: string | null;
}

export const subscriptionColumns = {
  items: jsonColumn<StoredItem[]>(),
  billing_cycle: jsonColumn<Duration>(),
  current_billing_period: periodColumn,
  scheduled_change: nullableJsonColumn<StoredScheduledChange>(),
  /** Lines waiting for the next renewal (proration billed with the next period), priced items. */
  next_period_lines: jsonColumn<ResolvedItem[]>(),
  billing_details: nullableJsonColumn<JsonObject>(),
  discount: nullableJsonColumn<JsonObject>(),
  custom_data: customDataColumn,
  import_meta: importMetaColumn,
};
