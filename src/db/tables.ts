// Row types, hand-written (Kysely's recommendation). Column names are Paddle's field names.
// Integers come back as bigint on both engines (see database.ts), so integer columns are typed `bigint`.
import type { Generated, Insertable, Selectable } from 'kysely';

export type Environment = 'sandbox' | 'live';

/**
 * A 0/1 flag in an `integer` column: PostgreSQL's int4 arrives as a number, SQLite's integers as bigint (safe
 * integers), so read it with `Number(flag) === 1`.
 */
export type Flag = bigint | number;

/** Every tenant-owned row starts with these two columns. */
export interface TenantColumns {
  seller_id: string;
  environment: Environment;
}

export interface SellersTable {
  id: string;
  name: string;
  /** The seller whose key made this one (test helper), or null (the default seller, sellers made by the CLI). */
  parent_seller_id: string | null;
  created_at: string;
  /** The currency payouts are converted into (`payout_totals.currency_code`); USD unless set (migration 202611291609). */
  balance_currency: Generated<string>;
  /** Paddle's fee on each transaction: this share of the grand total ("0.05")… */
  fee_rate: Generated<string>;
  /** …plus this fixed amount, in minor units of `fee_fixed_currency` (50 USD cents unless set). */
  fee_fixed: Generated<bigint>;
  fee_fixed_currency: Generated<string>;
}

export interface SellerEnvironmentsTable extends TenantColumns {
  portal_id: string;
  portal_signing_secret: string;
  clock_offset_us: bigint;
  /** The instant a sandbox clock stands at (stored RFC 3339), or null while it runs (wall clock + offset). */
  clock_frozen_at: string | null;
  invoice_sequence: bigint;
  created_at: string;
  /** The target (tenant clock) of the sandbox clock advance in progress, or null (migration 202611291310). */
  clock_target_at: string | null;
  /** The tenant clock when that advance started. */
  clock_advance_from: string | null;
  /** Units of due work that advance has done, and that failed (they stay due). */
  clock_advance_done: Generated<bigint>;
  clock_advance_failed: Generated<bigint>;
  /** The process driving it, and until when (wall clock) it holds it: after that, any process may take it over. */
  clock_advance_owner: string | null;
  clock_advance_lease_until: string | null;
}

export interface ApiKeysTable extends TenantColumns {
  id: string;
  name: string;
  key_hash: string;
  permissions: string;
  status: string;
  is_bootstrap: Flag;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProductsTable extends TenantColumns {
  id: string;
  name: string;
  description: string | null;
  type: string;
  tax_category: string;
  image_url: string | null;
  custom_data: string | null;
  status: string;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface PricesTable extends TenantColumns {
  id: string;
  product_id: string;
  description: string;
  type: string;
  name: string | null;
  billing_cycle: string | null;
  trial_period: string | null;
  tax_mode: string;
  unit_price_amount: bigint;
  unit_price_currency: string;
  unit_price_overrides: string;
  quantity_minimum: bigint;
  quantity_maximum: bigint;
  /** Copies of billing_cycle's two fields, written by the repository, for `order_by`. */
  billing_cycle_interval?: string | null;
  billing_cycle_frequency?: bigint | null;
  status: string;
  custom_data: string | null;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomersTable extends TenantColumns {
  id: string;
  name: string | null;
  email: string;
  email_key: string;
  marketing_consent: Flag;
  status: string;
  custom_data: string | null;
  locale: string;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface AddressesTable extends TenantColumns {
  id: string;
  customer_id: string;
  description: string | null;
  first_line: string | null;
  second_line: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  country_code: string;
  custom_data: string | null;
  status: string;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface BusinessesTable extends TenantColumns {
  id: string;
  customer_id: string;
  name: string;
  company_number: string | null;
  tax_identifier: string | null;
  contacts: string;
  custom_data: string | null;
  status: string;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface EventsTable extends TenantColumns {
  id: string;
  event_type: string;
  occurred_at: string;
  data: string;
}

export interface TransactionsTable extends TenantColumns {
  id: string;
  status: string;
  customer_id: string | null;
  address_id: string | null;
  business_id: string | null;
  custom_data: string | null;
  currency_code: string;
  origin: string;
  subscription_id: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  collection_mode: string;
  discount_id: string | null;
  billing_details: string | null;
  billing_period: string | null;
  items: string;
  details: string;
  grand_total: bigint;
  credit_used: bigint;
  checkout_url: string | null;
  created_at: string;
  updated_at: string;
  billed_at: string | null;
  revised_at: string | null;
}

export interface PaymentAttemptsTable extends TenantColumns {
  id: string;
  transaction_id: string;
  payment_method_id: string | null;
  amount: bigint;
  status: string;
  error_code: string | null;
  method_details: string;
  created_at: string;
  captured_at: string | null;
}

export interface PaymentMethodsTable extends TenantColumns {
  id: string;
  customer_id: string;
  address_id: string;
  type: string;
  card: string | null;
  later_charges: 'succeed' | 'decline';
  origin: string;
  saved_at: string;
  updated_at: string;
}

export interface CreditBalancesTable extends TenantColumns {
  customer_id: string;
  currency_code: string;
  available: bigint;
  reserved: bigint;
  used: bigint;
  updated_at: string;
}

export interface SubscriptionsTable extends TenantColumns {
  id: string;
  status: string;
  customer_id: string;
  address_id: string;
  business_id: string | null;
  currency_code: string;
  collection_mode: string;
  billing_details: string | null;
  billing_cycle: string;
  billing_anchor: string;
  started_at: string | null;
  first_billed_at: string | null;
  next_billed_at: string | null;
  paused_at: string | null;
  canceled_at: string | null;
  current_billing_period: string | null;
  scheduled_change: string | null;
  on_resume: string | null;
  past_due_when_paused: Flag;
  discount: string | null;
  items: string;
  custom_data: string | null;
  import_meta: string | null;
  payment_method_id: string | null;
  origin_transaction_id: string | null;
  next_period_lines: string;
  past_due_since: string | null;
  retry_at: string | null;
  next_due_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DiscountsTable extends TenantColumns {
  id: string;
  status: string;
  description: string;
  enabled_for_checkout: Flag;
  code: string | null;
  /** The code lower-cased (unique per tenant: codes are not case-sensitive); null without a code. */
  code_key: string | null;
  type: string;
  mode: string;
  amount: string;
  currency_code: string | null;
  recur: Flag;
  maximum_recurring_intervals: bigint | null;
  usage_limit: bigint | null;
  restrict_to: string | null;
  expires_at: string | null;
  custom_data: string | null;
  times_used: bigint;
  discount_group_id: string | null;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface DiscountGroupsTable extends TenantColumns {
  id: string;
  name: string;
  status: string;
  import_meta: string | null;
  created_at: string;
  updated_at: string;
}

export interface AdjustmentsTable extends TenantColumns {
  id: string;
  action: string;
  type: string;
  transaction_id: string;
  subscription_id: string | null;
  customer_id: string;
  reason: string;
  credit_applied_to_balance: Flag | null;
  currency_code: string;
  status: string;
  items: string;
  totals: string;
  payout_totals: string | null;
  tax_rates_used: string;
  /** When a pending refund is approved, on the tenant's clock; null once decided. */
  approve_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EmailsTable extends TenantColumns {
  id: string;
  kind: string;
  to_address: string;
  to_key: string;
  subject: string;
  text_body: string;
  html_body: string;
  delivery: 'kept' | 'sending' | 'sent' | 'failed';
  delivery_error: string | null;
  sent_at: string;
}

export interface NotificationSettingsTable extends TenantColumns {
  id: string;
  description: string;
  type: 'email' | 'url';
  destination: string;
  active: Flag;
  api_version: bigint | number;
  include_sensitive_fields: Flag;
  /** JSON array of event names (`notifications/columns.ts`). */
  subscribed_events: string;
  endpoint_secret_key: string;
  traffic_source: 'platform' | 'simulation' | 'all';
  created_at: string;
  updated_at: string;
}

export type NotificationStatus = 'not_attempted' | 'needs_retry' | 'delivered' | 'failed';

export interface NotificationsTable extends TenantColumns {
  id: string;
  notification_setting_id: string;
  event_id: string;
  type: string;
  status: NotificationStatus;
  origin: 'event' | 'replay';
  /** The exact JSON body sent and signed. */
  payload: string;
  occurred_at: string;
  created_at: string;
  delivered_at: string | null;
  replayed_at: string | null;
  last_attempt_at: string | null;
  retry_at: string | null;
  times_attempted: bigint | number;
  /** Wall-clock end of a worker's lease, and the worker's token. */
  claimed_until: string | null;
  claim_token: string | null;
  /** When it is next to be attempted (stored, tenant's clock): `created_at`, then `retry_at`; null once settled. */
  due_at: string | null;
}

export interface NotificationLogsTable extends TenantColumns {
  id: string;
  notification_id: string;
  response_code: bigint | number;
  response_content_type: string | null;
  response_body: string;
  attempted_at: string;
}

/** A customer-portal session: only the SHA-256 of its id (the id itself lives in the sealed cookie). */
export interface PortalSessionsTable {
  seller_id: string;
  environment: Environment;
  id_hash: string;
  customer_id: string;
  signed_in_at: string;
  ended_at: string | null;
}

/**
 * A request to sign in to the portal by email: HMACs of its link and 6-digit code, single use, expiring on the
 * tenant's clock. `customer_id` (and both hashes) are null when the address is no customer's.
 */
export interface PortalSignInsTable extends TenantColumns {
  id: string;
  email_key: string;
  customer_id: string | null;
  link_hash: string | null;
  code_hash: string | null;
  code_attempts: Generated<bigint | number>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One counted request of a rate limit: `bucket` names the limit, `subject_hash` is the SHA-256 of what it counts. */
export interface RateLimitHitsTable extends TenantColumns {
  id: string;
  bucket: string;
  subject_hash: string;
  at: string;
}

export interface Database {
  portal_sessions: PortalSessionsTable;
  portal_sign_ins: PortalSignInsTable;
  rate_limit_hits: RateLimitHitsTable;
  sellers: SellersTable;
  seller_environments: SellerEnvironmentsTable;
  api_keys: ApiKeysTable;
  products: ProductsTable;
  prices: PricesTable;
  customers: CustomersTable;
  addresses: AddressesTable;
  businesses: BusinessesTable;
  events: EventsTable;
  transactions: TransactionsTable;
  payment_attempts: PaymentAttemptsTable;
  payment_methods: PaymentMethodsTable;
  credit_balances: CreditBalancesTable;
  subscriptions: SubscriptionsTable;
  emails: EmailsTable;
  discounts: DiscountsTable;
  discount_groups: DiscountGroupsTable;
  notification_settings: NotificationSettingsTable;
  notifications: NotificationsTable;
  notification_logs: NotificationLogsTable;
  adjustments: AdjustmentsTable;
}

/** Every table whose rows belong to a tenant (all but `sellers`). */
export type TenantTable = Exclude<keyof Database, 'sellers'>;

export type ProductRow = Selectable<ProductsTable>;
export type PortalSessionRow = Selectable<PortalSessionsTable>;
export type PortalSignInRow = Selectable<PortalSignInsTable>;
export type PriceRow = Selectable<PricesTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type AddressRow = Selectable<AddressesTable>;
export type BusinessRow = Selectable<BusinessesTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type TransactionRow = Selectable<TransactionsTable>;
export type AdjustmentRow = Selectable<AdjustmentsTable>;
export type PaymentAttemptRow = Selectable<PaymentAttemptsTable>;
export type PaymentMethodRow = Selectable<PaymentMethodsTable>;
export type CreditBalanceRow = Selectable<CreditBalancesTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type EmailRow = Selectable<EmailsTable>;
export type DiscountRow = Selectable<DiscountsTable>;
export type DiscountGroupRow = Selectable<DiscountGroupsTable>;
export type NewEvent = Insertable<EventsTable>;
export type EventRow = Selectable<EventsTable>;
export type NotificationSettingRow = Selectable<NotificationSettingsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type NotificationLogRow = Selectable<NotificationLogsTable>;

/** The tenant every query is scoped to. */
export interface Tenant {
  seller_id: string;
  environment: Environment;
}
