// Paddle's event types as `GET /event-types` lists them (Paddle's API reference, May 2025): name, description,
// group and API versions. Descriptions come from Paddle's list-event-types example; the eight it leaves out
// (api_key.*, payment_method.*, transaction.revised) are described in the same style from Paddle's webhook pages.
// `discount_group.*` are newer than that reference (openapi/newer.json): their descriptions are Paddle's webhook pages'.

export interface PaddleEventType {
  name: string;
  description: string;
  /** The entity the event is about, as Paddle names the group (`Transaction`). */
  group: string;
}

export const PADDLE_EVENT_TYPES: readonly PaddleEventType[] = [
  { name: 'address.created', description: 'Occurs when an address is created.', group: 'Address' },
  { name: 'address.imported', description: 'Occurs when a address is imported.', group: 'Address' },
  { name: 'address.updated', description: 'Occurs when an address is updated.', group: 'Address' },
  { name: 'adjustment.created', description: 'Occurs when an adjustment is created.', group: 'Adjustment' },
  {
    name: 'adjustment.updated',
    description:
      'Occurs when an adjustment is updated, the only time an adjustment will be updated is when the status changes from pending to approved or from pending to rejected.',
    group: 'Adjustment',
  },
  { name: 'api_key.created', description: 'Occurs when an API key is created.', group: 'API key' },
  { name: 'api_key.expired', description: 'Occurs when an API key has expired.', group: 'API key' },
  { name: 'api_key.expiring', description: 'Occurs when an API key is about to expire.', group: 'API key' },
  { name: 'api_key.revoked', description: 'Occurs when an API key is revoked.', group: 'API key' },
  { name: 'api_key.updated', description: 'Occurs when an API key is updated.', group: 'API key' },
  { name: 'business.created', description: 'Occurs when a business is created.', group: 'Business' },
  { name: 'business.imported', description: 'Occurs when a business is imported.', group: 'Business' },
  { name: 'business.updated', description: 'Occurs when a business is updated.', group: 'Business' },
  { name: 'customer.created', description: 'Occurs when a customer is created.', group: 'Customer' },
  { name: 'customer.imported', description: 'Occurs when a customer is imported.', group: 'Customer' },
  { name: 'customer.updated', description: 'Occurs when a customer is updated.', group: 'Customer' },
  { name: 'discount.created', description: 'Occurs when a discount is created.', group: 'Discount' },
  { name: 'discount.imported', description: 'Occurs when a discount is imported.', group: 'Discount' },
  { name: 'discount.updated', description: 'Occurs when a discount is updated.', group: 'Discount' },
  { name: 'discount_group.created', description: 'Occurs when a discount group is created.', group: 'Discount group' },
  { name: 'discount_group.updated', description: 'Occurs when a discount group is updated.', group: 'Discount group' },
  {
    name: 'payment_method.saved',
    description: 'Occurs when a customer saves a payment method to their account.',
    group: 'Payment method',
  },
  {
    name: 'payment_method.deleted',
    description: 'Occurs when a customer removes a saved payment method from their account.',
    group: 'Payment method',
  },
  { name: 'payout.created', description: 'Occurs when a payout is created.', group: 'Payout' },
  { name: 'payout.paid', description: 'Occurs when a payout is paid.', group: 'Payout' },
  { name: 'price.created', description: 'Occurs when a price is created.', group: 'Price' },
  { name: 'price.imported', description: 'Occurs when a price is imported.', group: 'Price' },
  { name: 'price.updated', description: 'Occurs when a price is updated.', group: 'Price' },
  { name: 'product.created', description: 'Occurs when a product is created.', group: 'Product' },
  { name: 'product.imported', description: 'Occurs when a product is imported.', group: 'Product' },
  { name: 'product.updated', description: 'Occurs when a product is updated.', group: 'Product' },
  { name: 'report.created', description: 'Occurs when a report is created.', group: 'Report' },
  { name: 'report.updated', description: 'Occurs when a report is updated.', group: 'Report' },
  {
    name: 'subscription.activated',
    description:
      'Occurs when a subscription becomes active. Its status field changes to active. This means any trial period has elapsed and Paddle has successfully billed the customer.',
    group: 'Subscription',
  },
  {
    name: 'subscription.canceled',
    description: 'Occurs when a subscription is canceled. Its status field changes to canceled.',
    group: 'Subscription',
  },
  {
    name: 'subscription.created',
    description:
      'Occurs when a subscription is created. subscription.trialing or subscription.activated typically follow.',
    group: 'Subscription',
  },
  { name: 'subscription.imported', description: 'Occurs when a subscription is imported.', group: 'Subscription' },
  {
    name: 'subscription.past_due',
    description: 'Occurs when a subscription has an unpaid transaction. Its status changes to past_due.',
    group: 'Subscription',
  },
  {
    name: 'subscription.paused',
    description: 'Occurs when a subscription is paused. Its status field changes to paused.',
    group: 'Subscription',
  },
  {
    name: 'subscription.resumed',
    description: 'Occurs when a subscription is resumed after being paused. Its status field changes to active.',
    group: 'Subscription',
  },
  {
    name: 'subscription.trialing',
    description: 'Occurs when a subscription enters trial period.',
    group: 'Subscription',
  },
  { name: 'subscription.updated', description: 'Occurs when a subscription is updated.', group: 'Subscription' },
  {
    name: 'transaction.billed',
    description: 'Occurs when a transaction is billed. Its status field changes to billed and billed_at is populated.',
    group: 'Transaction',
  },
  {
    name: 'transaction.canceled',
    description: 'Occurs when a transaction is canceled. Its status field changes to canceled.',
    group: 'Transaction',
  },
  {
    name: 'transaction.completed',
    description: 'Occurs when a transaction is completed. Its status field changes to completed.',
    group: 'Transaction',
  },
  { name: 'transaction.created', description: 'Occurs when a transaction is created.', group: 'Transaction' },
  {
    name: 'transaction.paid',
    description: 'Occurs when a transaction is paid. Its status field changes to paid.',
    group: 'Transaction',
  },
  {
    name: 'transaction.past_due',
    description: 'Occurs when a transaction becomes past due. Its status field changes to past_due.',
    group: 'Transaction',
  },
  {
    name: 'transaction.payment_failed',
    description:
      'Occurs when a payment fails for a transaction. The payments array is updated with details of the payment attempt.',
    group: 'Transaction',
  },
  {
    name: 'transaction.ready',
    description: 'Occurs when a transaction is ready to be billed. Its status field changes to ready.',
    group: 'Transaction',
  },
  {
    name: 'transaction.revised',
    description:
      'Occurs when a transaction is revised: its customer, address or business details are changed after it was billed or completed.',
    group: 'Transaction',
  },
  { name: 'transaction.updated', description: 'Occurs when a transaction is updated.', group: 'Transaction' },
];
