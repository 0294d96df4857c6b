import {
  billingCycleColumn,
  customDataColumn,
  importMetaColumn,
  jsonColumn,
  nullableJsonColumn,
} from '../../db/json.js';
import type { PriceRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

export interface Duration {
  interval: string;
  frequency: number;
}

/**
 * A price's trial (Paddle's paid and cardless trials, newer than the May-2025 spec): `unit_price` is what the trial
 * costs (null: free), localized by `unit_price_overrides` as the price itself is; `requires_payment_method: false`
 * makes a cardless trial, which starts without a checkout payment.
 */
export interface TrialPeriod extends Duration {
  requires_payment_method: boolean;
  unit_price: Money | null;
  unit_price_overrides: UnitPriceOverride[];
}

/** A trial as stored: rows written before paid trials hold only `interval` and `frequency`. */
type StoredTrialPeriod = Duration & Partial<Omit<TrialPeriod, keyof Duration>>;

/** Paddle's defaults for what a trial leaves out: a payment method is required, and the trial is free. */
export function trialWithDefaults(trial: StoredTrialPeriod): TrialPeriod {
  return {
    interval: trial.interval,
    frequency: trial.frequency,
    requires_payment_method: trial.requires_payment_method ?? true,
    unit_price: trial.unit_price ?? null,
    unit_price_overrides: trial.unit_price_overrides ?? [],
  };
}

export interface Money {
  /** Integer minor units as a decimal string. */
  amount: string;
  currency_code: string;
}

export interface UnitPriceOverride {
  country_codes: string[];
  unit_price: Money;
}

/** The JSON columns of `prices`, one codec each. */
export const priceColumns = {
  billing_cycle: billingCycleColumn,
  trial_period: nullableJsonColumn<StoredTrialPeriod>(),
  unit_price_overrides: jsonColumn<UnitPriceOverride[]>(),
  custom_data: customDataColumn,
  import_meta: importMetaColumn,
};

function trialOf(row: Pick<PriceRow, 'trial_period'>): TrialPeriod | null {
  const stored = priceColumns.trial_period.decode(row.trial_period);
  return stored && trialWithDefaults(stored);
}

/** Row → Paddle's price entity. The amount leaves the bigint column as a string, never through a float. */
export function serializePrice(row: PriceRow) {
  return {
    id: row.id,
    product_id: row.product_id,
    description: row.description,
    type: row.type,
    name: row.name,
    billing_cycle: priceColumns.billing_cycle.decode(row.billing_cycle),
    trial_period: trialOf(row),
    tax_mode: row.tax_mode,
    unit_price: { amount: BigInt(row.unit_price_amount).toString(), currency_code: row.unit_price_currency },
    unit_price_overrides: priceColumns.unit_price_overrides.decode(row.unit_price_overrides),
    quantity: { minimum: Number(row.quantity_minimum), maximum: Number(row.quantity_maximum) },
    status: row.status,
    custom_data: priceColumns.custom_data.decode(row.custom_data),
    import_meta: priceColumns.import_meta.decode(row.import_meta),
    created_at: toWireTime(row.created_at),
    updated_at: toWireTime(row.updated_at),
  };
}

export type PriceEntity = ReturnType<typeof serializePrice>;
