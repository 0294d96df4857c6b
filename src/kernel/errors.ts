// Paddle-shaped errors and the one catalogue of every error code Paddock answers. Code anywhere throws a
// `PaddleError` naming a code (and, where useful, a more precise detail and field errors); it never picks an HTTP
// status: the one handler in http/ takes status and type from this catalogue. docs/errors.md lists the same codes
// (a test keeps the two in step).
export interface FieldError {
  field: string;
  message: string;
}

export type ErrorType = 'request_error' | 'api_error';

interface CatalogueEntry {
  /** The HTTP status Paddock answers with. */
  status: number;
  type: ErrorType;
  /** The detail sent when the thrower gives none. */
  detail: string;
}

const request = (status: number, detail: string) => ({ status, type: 'request_error', detail }) as const;

/**
 * Every error code Paddock answers, with its status and default detail. Statuses follow Paddle's error reference
 * (developer.paddle.com/errors); codes Paddle does not document are Paddock's own, named in Paddle's style.
 */
export const ERROR_CATALOGUE = {
  // ---- shared: requests, authentication, routing ----------------------------------------------------------------
  bad_request: request(400, 'The request could not be read.'),
  invalid_json: request(400, 'Request body is not valid JSON.'),
  invalid_field: request(400, 'Request does not pass validation.'),
  entity_archived: request(400, 'The entity is archived and cannot be modified.'),
  amount_out_of_range: request(
    400,
    'An amount this request computes is outside what Paddock stores: at most 9223372036854775807 minor units either way.',
  ),
  date_out_of_range: request(400, 'A date this request computes is after 9999-12-31T23:59:59.999999Z.'),
  authentication_missing: request(403, 'Authentication header missing.'),
  authentication_malformed: request(403, 'Authentication header included, but incorrectly formatted.'),
  invalid_token: request(403, 'Invalid or revoked API key.'),
  forbidden: request(403, "You aren't permitted to perform this request."),
  not_found: request(404, 'Entity not found'),
  method_not_allowed: request(405, 'Method not allowed.'),
  request_body_too_large: request(413, 'Request body is too large.'),
  request_headers_too_large: request(431, 'Request headers are too large.'),
  unsupported_media_type: request(415, 'Content-Type must be application/json.'),
  internal_error: { status: 500, type: 'api_error', detail: 'An internal error occurred.' },
  // ---- customers and prices ------------------------------------------------------------------------------------
  customer_already_exists: request(409, 'customer email conflicts with an existing customer'),
  price_duplicate_currency_override_for_country: request(
    400,
    'A country appears in more than one unit price override.',
  ),
  price_trial_period_requires_billing_cycle: request(
    400,
    'A trial period requires a billing cycle: one-time prices cannot have a trial.',
  ),
  trial_is_either_paid_or_cardless: request(
    400,
    'If a trial has a unit price amount, it must require a payment method.',
  ),
  // ---- adjustments (refunds and credits) -----------------------------------------------------------------------
  adjustment_transaction_invalid_status_for_refund: request(
    400,
    'The transaction being adjusted (refund) has a non supported status.',
  ),
  adjustment_transaction_invalid_status_for_credit: request(
    400,
    'The transaction being adjusted (credit) has a non supported status.',
  ),
  adjustment_pending_refund_request: request(
    400,
    'You are unable to create further adjustments against this transaction as there is a pending refund request',
  ),
  adjustment_transaction_item_invalid: request(400, 'One or more adjustment items cannot be processed'),
  adjustment_total_amount_above_remaining_allowed: request(
    400,
    'The adjustment amount exceeds the total amount left to adjust.',
  ),
  // ---- transactions and invoices -------------------------------------------------------------------------------
  transaction_immutable: request(400, 'Cannot update immutable transaction'),
  transaction_invalid_status_change: request(400, 'Invalid attempt to change the transaction status'),
  transaction_status_must_be_ready: request(400, 'Transaction status needs to be ready'),
  transaction_not_payable: request(400, 'Transaction cannot be paid in its current status.'),
  transaction_invalid_status_to_revise: request(
    400,
    "You can't revise a transaction that's not in the status of `billed` or `completed`",
  ),
  transaction_adjusted_unable_to_revise: request(400, 'Transaction has been adjusted and cannot be revised'),
  transaction_revised_limit_reached: request(400, "You can't revise an already revised transaction"),
  transaction_nothing_to_revise: request(400, "Your request was empty, so the transaction wasn't revised."),
  transaction_cannot_be_revised_with_invalid_tax_identifier: request(
    400,
    'Cannot revise transaction with an invalid tax identifier where there is already a valid one.',
  ),
  transaction_customer_is_required_with_address: request(400, 'customer_id is required when address_id is given'),
  transaction_customer_is_required_for_business_validation: request(
    400,
    'customer_id is required when business_id is given',
  ),
  transaction_billing_details_object_required: request(
    400,
    'billing_details must be non null if collection_mode=manual',
  ),
  transaction_payment_terms_object_required: request(
    400,
    'payment_terms must be non null when initially setting billing_details',
  ),
  transaction_duplicate_price_ids: request(400, 'A price appears more than once in items.'),
  transaction_cannot_be_modified_and_canceled: request(
    400,
    'A transaction cannot be changed and canceled in one request.',
  ),
  transaction_balance_less_than_charge_limit: request(400, 'Transaction balance is less than what we can charge.'),
  transaction_recurring_balance_less_than_charge_limit: request(
    400,
    'Transaction recurring balance will be less than what we can charge.',
  ),
  transaction_currency_code_not_valid_for_manual: request(
    400,
    'currency_code is not valid for manually-collected transactions; use USD, EUR or GBP.',
  ),
  transaction_customer_not_suitable_for_collection_mode: request(
    400,
    'Customer entity must be suitable for the transactions current collection mode',
  ),
  transaction_address_not_suitable_for_collection_mode: request(
    400,
    'Address entity must be suitable for the transactions current collection mode',
  ),
  transaction_invoice_not_available: request(400, 'Invoice PDFs are not available for this transaction'),
  invoice_link_expired: request(403, 'This invoice link has expired: request a new one.'),
  // ---- discounts (#14; Paddle's pages under errors/discounts, errors/transactions, errors/subscriptions) ----------
  discount_code_conflict: request(409, 'Discount code conflicts with another discount.'),
  discount_group_name_conflict: request(409, 'Discount group name conflicts with another discount group.'),
  discount_restricted_product_not_active: request(400, 'Product given not active.'),
  discount_restricted_product_price_not_active: request(400, 'Product Price given not active.'),
  discount_usage_limit_less_than_times_used: request(400, 'Usage limit is less than times already used.'),
  discount_expired: request(400, 'Discount has expired'),
  discount_usage_limit_exceeded: request(400, 'Discount usage limit has been exceeded'),
  transaction_discount_not_found: request(400, 'Cannot find provided discount code/id'),
  transaction_discount_not_eligible: request(400, 'Discount is not eligible for the provided items'),
  transaction_invalid_discount_currency: request(
    400,
    'Flat discounts must be in the same currency as the transaction.',
  ),
  subscription_discount_not_valid_for_items: request(400, 'Discount is not valid for the subscription items.'),
  subscription_invalid_discount_currency: request(
    400,
    'Flat discounts must be in the same currency as the subscription.',
  ),
  subscription_archived_discount_application_attempt: request(
    400,
    'An archived discount cannot be applied to a subscription.',
  ),
  subscription_one_off_discount_not_valid: request(400, 'one-off discount invalid for subscription'),
  subscription_trialing_discount_update_invalid_options: request(
    400,
    'Discounts can only be added or updated on a trialing subscription effective from next billing period',
  ),
  // ---- subscriptions -------------------------------------------------------------------------------------------
  subscription_update_when_canceled: request(
    400,
    "cannot update subscription, as the subscription status is 'canceled'",
  ),
  subscription_update_when_past_due: request(
    400,
    "cannot update subscription, as the subscription status is 'past_due'",
  ),
  subscription_update_when_trialing: request(400, 'a trialing subscription can only pause at the end of its trial'),
  subscription_update_error_when_paused: request(
    501,
    'paused subscriptions cannot be updated with prorate, or bill immediately enabled',
  ),
  subscription_is_canceled_action_invalid: request(400, "action can't be performed on canceled subscription"),
  subscription_is_inactive_action_invalid: request(400, "action can't be performed on paused subscription"),
  subscription_cannot_be_paused: request(400, "action can't be performed on paused subscription"),
  subscription_must_be_paused: request(400, 'action can only be performed on paused subscription'),
  subscription_cannot_activate: request(400, "Only subscriptions which have status 'trialing' can be activated."),
  subscription_manual_collection_mode_activation_not_allowed: request(
    400,
    'Only automatically-collected subscriptions can be activated.',
  ),
  subscription_locked_pending_changes: request(400, 'cannot update subscription, pending scheduled changes'),
  subscription_locked_processing: request(409, 'unable to update subscription 30m0s before processing'),
  subscription_locked_renewal: request(409, 'unable to update subscription 30m0s before renewal'),
  subscription_continuing_existing_billing_period_not_allowed: request(
    400,
    'Subscription existing billing period has ended, so it cannot be continued.',
  ),
  subscription_continuing_existing_billing_period_not_allowed_no_billing_period: request(
    400,
    'Subscription has no current billing period, so it cannot be continued.',
  ),
  subscription_continuing_existing_billing_period_not_allowed_subscription_past_due: request(
    400,
    'Subscription is past due, so its existing billing period cannot be continued.',
  ),
  subscription_items_update_missing_proration_billing_mode: request(
    400,
    'proration_billing_mode is required when updating subscription items',
  ),
  subscription_next_billed_at_too_soon: request(400, 'next_billed_at must be at least 30 minutes from now'),
  subscription_trialing_items_update_invalid_options: request(
    400,
    'trialing subscriptions can only be updated with do_not_bill',
  ),
  subscription_only_update_items_on_paused_subscription: request(
    400,
    'only items can be updated when the subscription is paused',
  ),
  subscription_incorrect_proration_on_paused_subscription: request(
    400,
    'proration_billing_mode is not accepted on a paused subscription',
  ),
  subscription_invalid_billing_mode_for_scheduled_change: request(
    400,
    'Subscription can only be updated with `do_not_bill`, `full_immediately`, or `prorated_immediately` as the `proration_billing_mode` because it has a scheduled change.',
  ),
  subscription_all_items_removed: request(400, 'Subscription update removes all items.'),
  subscription_price_requires_payment_method_on_cardless_trial: request(
    400,
    "Prices that require a payment method can't be added to a cardless trial subscription before a payment method is added.",
  ),
  subscription_one_off_charges_not_allowed_on_cardless_trial: request(
    400,
    "One-off charges can't be added to a cardless trial subscription before a payment method is added.",
  ),
  subscription_pausing_not_allowed_for_cardless_trial: request(
    400,
    "Pausing isn't supported on cardless trial subscriptions before a payment method is added.",
  ),
  subscription_scheduled_change_not_allowed_for_cardless_trial: request(
    400,
    "Scheduled changes aren't allowed for cardless trial subscriptions before a payment method is added.",
  ),
  subscription_missing_payment_method_cannot_activate: request(
    400,
    'Automatically-collected subscriptions in trial require a payment method to be activated.',
  ),
  subscription_duplicate_price_ids: request(400, 'Duplicate price_id in the items list.'),
  subscription_charge_duplicate_price_ids: request(
    400,
    'duplicate `price_id`s are not valid when creating a one-time charge for a subscription',
  ),
  subscription_quantity_missing_for_new_items: request(
    400,
    'the quantity field must be included for each new item to be added',
  ),
  subscription_quantity_not_valid: request(400, 'quantity is not valid for this price'),
  subscription_new_items_not_valid: request(400, 'the new items are not valid for updating this subscription'),
  subscription_currency_code_not_valid_for_manual: request(
    400,
    'currency_code is not valid for manually-collected subscriptions; use USD, EUR or GBP.',
  ),
  subscription_billing_details_required: request(400, 'billing_details is required when collection_mode is manual'),
  subscription_customer_not_suitable_for_collection_mode: request(
    400,
    'Customer entity must be suitable for the subscriptions current collection mode',
  ),
  subscription_address_not_suitable_for_collection_mode: request(
    400,
    'Address entity must be suitable for the subscriptions current collection mode',
  ),
  subscription_not_automatic_collection: request(
    400,
    'Payment methods can only be updated for subscriptions where collection_mode is automatic.',
  ),
  subscription_payment_declined: request(400, 'payment declined'),
  subscription_immediate_charge_hour_limit_exceeded: request(
    429,
    "You've exceeded the limit for the number of immediate charges that can be made to this subscription in an hour.",
  ),
  subscription_update_transaction_balance_less_than_charge_limit: request(
    400,
    'Unable to charge for Subscription update: Transaction balance is less than what we can charge.',
  ),
  subscription_immediate_charge_24_hour_limit_exceeded: request(
    429,
    "You've exceeded the limit for the number of immediate charges that can be made to this subscription in 24 hours.",
  ),
  // ---- notifications (webhooks) --------------------------------------------------------------------------------
  notification_maximum_active_settings_reached: request(
    400,
    'You have reached the maximum number of active notification settings.',
  ),
  notification_setting_cannot_be_duplicate: request(
    409,
    'A notification setting with the same destination and configuration already exists.',
  ),
  notification_cannot_replay: request(400, 'This notification cannot be replayed.'),
  notification_replay_invalid_origin_type: request(
    400,
    'Only notifications with an origin of `event` can be replayed.',
  ),
} as const satisfies Record<string, CatalogueEntry>;

/** Every code Paddock can answer; throwing any other is a type error. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** Which documentation group an error code belongs to, for `documentation_url`. */
const CODE_GROUPS: Array<[RegExp, string]> = [
  [/^subscription_/, 'subscriptions'],
  [/^transaction_/, 'transactions'],
  [/^customer_/, 'customers'],
  [/^address_/, 'addresses'],
  [/^business_/, 'businesses'],
  [/^discount_/, 'discounts'],
  [/^price_/, 'prices'],
  [/^trial_/, 'prices'],
  [/^product_/, 'products'],
  [/^notification_/, 'notifications'],
  [/^adjustment_/, 'adjustments'],
  [/^payment_method_/, 'payment-methods'],
];

export function documentationUrl(code: string): string {
  const group = CODE_GROUPS.find(([pattern]) => pattern.test(code))?.[1] ?? 'shared';
  return `https://developer.paddle.com/errors/${group}/${code}`;
}

/**
 * A refusal with one of Paddle's codes. `detail` defaults to the catalogue's; `errors` lists field errors
 * (`invalid_field` and a few subscription codes carry them). Status and type are read from the catalogue.
 */
export class PaddleError extends Error {
  override name = 'PaddleError';
  readonly detail: string;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: FieldError[],
  ) {
    const text = detail ?? ERROR_CATALOGUE[code].detail;
    super(text);
    this.detail = text;
  }

  /** The HTTP status of this code, from the catalogue (for the handler and HTML pages, never chosen by a thrower). */
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  get type(): ErrorType {
    return ERROR_CATALOGUE[this.code].type;
  }
}

/** `400 invalid_field` with one entry per field. */
export function invalidField(errors: FieldError[]): PaddleError {
  return new PaddleError('invalid_field', undefined, errors);
}

/** `404 not_found` for an entity id (Paddle's detail: "Entity ctm_… not found"). */
export function notFound(id: string): PaddleError {
  return new PaddleError('not_found', `Entity ${id} not found`);
}

/** `400 entity_archived`: "Product pro_… is archived and cannot be modified." (`kind` as Paddle capitalises it). */
export function entityArchived(kind: string, id: string): PaddleError {
  return new PaddleError('entity_archived', `${kind} ${id} is archived and cannot be modified.`);
}
