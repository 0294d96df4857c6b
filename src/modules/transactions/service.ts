// Transactions through the API: create, update (status billed/canceled only as Paddle allows), get, list.
// Totals are computed by billing/ at every change; every change records its events in the same transaction.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { AddressRow, CustomerRow, TransactionRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import type { EventType } from '../../events/catalogue.js';
import {
  isEditable,
  readinessStatus,
  requestStatus,
  type TransactionStatus,
} from '../../billing/transaction-status.js';
import { assertSuitableForCollection, type CollectionMode } from '../../billing/collection-mode.js';
import { assertChargeable } from '../../billing/minimum-charge.js';
import { parseAmount } from '../../kernel/money.js';
import type { TotalsDiscount } from '../../billing/totals.js';
import { PaddleError, invalidField, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { storedFromRfc3339, toStoredTime } from '../../kernel/time.js';
import { getAddressRow } from '../addresses/service.js';
import { getBusinessRow } from '../businesses/service.js';
import { moveCredit } from '../credit-balances/service.js';
import { getCustomerRow } from '../customers/service.js';
import { discountForTransaction } from '../discounts/redemption.js';
import { nextInvoiceNumber } from './invoice-number.js';
import { runBilledHooks } from './paid-hooks.js';
import { hostedCheckoutUrl, itemsOf, transactionEntity, type PortalRef } from './entity.js';
import { requiresPaymentMethod, resolveItems, storedItems, type ResolvedItem } from './items.js';
import { completeWithoutCharge } from './operations/pay.js';
import { defaultCurrency, priceTransaction } from './pricing.js';
import { listTransactions as listRows, paymentAttemptsOf, type TransactionFilters } from './repository.js';
import { findTransactionRow, insertTransactionRow, updateTransactionRow, writePendingRows } from './batch-rows.js';
import { serializeTransaction, type TransactionEntity } from './serialize.js';
import { transactionColumns } from './columns.js';
import type { OperationBody } from '../../spec/operations.js';

export interface BillingDetails {
  enable_checkout?: boolean;
  purchase_order_number?: string;
  additional_information?: string | null;
  payment_terms: { interval: string; frequency: number };
}

/**
 * The body of Paddle's update-transaction: every field optional. @NOTE its `billing_details` may leave out
 * `payment_terms` (the spec's `billing_details-update`): the stored terms are kept (see `billingDetailsAfter`).
 */
export type TransactionInput = OperationBody<'update-transaction'>;

/** The body of Paddle's create-transaction: `items` required; `status` only `billed` (or left out). */
export type CreateTransactionInput = OperationBody<'create-transaction'>;

export async function getTransactionRow(ctx: Ctx, id: string): Promise<TransactionRow> {
  const row = await findTransactionRow(ctx, id);
  if (!row) throw notFound(id);
  return row;
}

/** The parties a transaction names, as stored (each null when not attached). */
interface Parties {
  customer: CustomerRow | null;
  address: AddressRow | null;
}

/** Checks the customer, address and business belong together and to the tenant; returns the customer and address. */
async function checkParties(
  ctx: Ctx,
  row: Pick<TransactionRow, 'customer_id' | 'address_id' | 'business_id'>,
): Promise<Parties> {
  if (!row.customer_id) {
    if (row.address_id) {
      throw new PaddleError(
        'transaction_customer_is_required_with_address',
        'customer_id is required when address_id is given: an address belongs to a customer',
      );
    }
    if (row.business_id) {
      throw new PaddleError(
        'transaction_customer_is_required_for_business_validation',
        'customer_id is required when business_id is given: a business belongs to a customer',
      );
    }
    return { customer: null, address: null };
  }
  const customer = await getCustomerRow(ctx, row.customer_id);
  const address = row.address_id ? await getAddressRow(ctx, row.customer_id, row.address_id) : null;
  if (row.business_id) await getBusinessRow(ctx, row.customer_id, row.business_id);
  return { customer, address };
}

/**
 * Manual collection's demands (billing/collection-mode.ts): billing details, an invoicing currency, a named
 * customer and an address an invoice can carry. Throws 400 with Paddle's `transaction_…` codes.
 */
function checkCollection(
  row: Pick<TransactionRow, 'collection_mode' | 'billing_details' | 'currency_code'>,
  parties: Parties,
): void {
  if (row.collection_mode === 'manual' && !row.billing_details)
    throw new PaddleError('transaction_billing_details_object_required');
  assertSuitableForCollection('transaction', {
    collection_mode: row.collection_mode as CollectionMode,
    currency_code: row.currency_code,
    customer: parties.customer,
    address: parties.address,
  });
}

/**
 * The terms of the transaction's discount for these items, or null without one. A discount given on this request
 * (`previousDiscountId` differs) must be redeemable now; any discount must suit the currency and the items
 * (discounts/redemption.ts throws Paddle's codes).
 */
async function discountTerms(
  ctx: Ctx,
  row: TransactionRow,
  items: ResolvedItem[],
  previousDiscountId: string | null,
): Promise<TotalsDiscount | null> {
  if (!row.discount_id) return null;
  const discount = await discountForTransaction(ctx, row.discount_id, {
    currency: row.currency_code,
    lines: items.map((item) => ({ price_id: item.price_id, product_id: item.product.id })),
    newlyApplied: row.discount_id !== previousDiscountId,
  });
  return discount.totals;
}

/** Recomputes details from the stored items, for the buyer's country, the discount and the customer's credit. */
async function reprice(
  ctx: Ctx,
  row: TransactionRow,
  items: ResolvedItem[],
  countryCode: string | null,
  previousDiscountId: string | null,
): Promise<TransactionRow> {
  const priced = await priceTransaction(ctx, {
    items,
    currencyCode: row.currency_code,
    countryCode,
    customerId: row.customer_id,
    trialPricing: row.origin === 'api' || row.origin === 'web',
    discount: await discountTerms(ctx, row, items, previousDiscountId),
  });
  return {
    ...row,
    currency_code: priced.currency_code,
    items: transactionColumns.items.encode(storedItems(items)),
    details: transactionColumns.details.encode(priced.details),
    grand_total: priced.grand_total,
    credit_used: priced.credit_used,
  };
}

function readinessOf(row: TransactionRow) {
  return readinessStatus({
    has_items: transactionColumns.items.decode(row.items).length > 0,
    has_customer: row.customer_id !== null,
    has_address: row.address_id !== null,
    collection_mode: row.collection_mode as 'automatic' | 'manual',
    has_billing_details: row.billing_details !== null,
  });
}

/**
 * A ready transaction must be collectable: what is due now, and what its recurring items will bill, are each zero
 * or at least Paddle's minimum charge (billing/minimum-charge.ts). Throws 400
 * `transaction_balance_less_than_charge_limit` or `transaction_recurring_balance_less_than_charge_limit`.
 */
function assertCollectable(row: TransactionRow): void {
  if (row.status !== 'ready') return;
  assertChargeable(row.grand_total, row.currency_code, 'transaction_balance_less_than_charge_limit');
  const items = transactionColumns.items.decode(row.items);
  const lines = transactionColumns.details.decode(row.details).line_items ?? [];
  const recurring = lines
    .filter((_, index) => items[index]?.price.billing_cycle)
    .reduce((sum, line) => sum + parseAmount(line.totals.total), 0n);
  assertChargeable(recurring, row.currency_code, 'transaction_recurring_balance_less_than_charge_limit');
}

/** Gives a billed transaction its invoice number (`<year>-<5-digit sequence>`, per seller environment). */
async function markBilled(ctx: TxCtx, row: TransactionRow): Promise<TransactionRow> {
  const now = ctx.clock.now();
  return {
    ...row,
    status: 'billed',
    billed_at: toStoredTime(now),
    invoice_number: row.invoice_number ?? (await nextInvoiceNumber(ctx, row.id)),
    invoice_id: row.invoice_id ?? newId('invoice'),
  };
}

/** Events for a status change, after `transaction.created`/`transaction.updated`, in Paddle's order. */
function statusEvents(from: string, to: string): EventType[] {
  if (from === to) return [];
  switch (to) {
    case 'ready':
      return ['transaction.ready'];
    case 'billed':
      return from === 'draft' ? ['transaction.ready', 'transaction.billed'] : ['transaction.billed'];
    case 'canceled':
      return ['transaction.canceled'];
    default:
      return [];
  }
}

/**
 * The billing details a transaction has after a create or update gave `given`: `null` clears them; an update that
 * leaves out `payment_terms` keeps the stored terms, since the entity always carries them. Throws 400
 * `transaction_payment_terms_object_required` when there are none to keep.
 */
function billingDetailsAfter(
  row: TransactionRow,
  given: NonNullable<TransactionInput['billing_details'] | CreateTransactionInput['billing_details']> | null,
): BillingDetails | null {
  if (given === null) return null;
  const payment_terms =
    'payment_terms' in given && given.payment_terms
      ? given.payment_terms
      : transactionColumns.billing_details.decode(row.billing_details)?.payment_terms;
  if (!payment_terms) throw new PaddleError('transaction_payment_terms_object_required');
  return { ...given, payment_terms };
}

function applyInput(row: TransactionRow, input: TransactionInput | CreateTransactionInput): TransactionRow {
  const next = { ...row };
  if (input.customer_id !== undefined) next.customer_id = input.customer_id;
  if (input.address_id !== undefined) next.address_id = input.address_id;
  if (input.business_id !== undefined) next.business_id = input.business_id;
  if (input.custom_data !== undefined) next.custom_data = transactionColumns.custom_data.encode(input.custom_data);
  if (input.currency_code !== undefined && input.currency_code !== null) next.currency_code = input.currency_code;
  if (input.collection_mode !== undefined) next.collection_mode = input.collection_mode;
  if (input.billing_details !== undefined)
    next.billing_details = transactionColumns.billing_details.encode(billingDetailsAfter(row, input.billing_details));
  if (input.discount_id !== undefined) next.discount_id = input.discount_id;
  if (input.billing_period !== undefined) {
    next.billing_period = transactionColumns.billing_period.encode(
      input.billing_period && billingPeriod(input.billing_period),
    );
  }
  if (input.checkout !== undefined) next.checkout_url = input.checkout?.url ?? null;
  return next;
}

function billingPeriod(period: { starts_at: string; ends_at: string }) {
  const starts = storedFromRfc3339(period.starts_at);
  const ends = storedFromRfc3339(period.ends_at);
  if (!starts) throw invalidField([{ field: 'billing_period.starts_at', message: 'must be an RFC 3339 date-time' }]);
  if (!ends) throw invalidField([{ field: 'billing_period.ends_at', message: 'must be an RFC 3339 date-time' }]);
  if (ends <= starts) throw invalidField([{ field: 'billing_period.ends_at', message: 'must be after starts_at' }]);
  return { starts_at: period.starts_at, ends_at: period.ends_at };
}

/**
 * Paddle's cardless trials: an automatically-collected transaction whose every item is a recurring price with a
 * cardless trial (`trial_period.requires_payment_method: false`), with nothing to pay now, needs no checkout. Once
 * it is ready (or billed) Paddle completes it without a payment, and its subscription starts trialing without a
 * payment method (developer.paddle.com/build/trials/cardless-trials).
 */
function startsCardlessTrial(row: TransactionRow): boolean {
  // @NOTE only API transactions: Paddle creates cardless trials through the API, never through checkout.
  if (row.origin !== 'api' || row.collection_mode !== 'automatic' || row.grand_total !== 0n) return false;
  if (row.status !== 'ready' && row.status !== 'billed') return false;
  const items = transactionColumns.items.decode(row.items);
  return items.length > 0 && items.every((item) => !requiresPaymentMethod(item.price));
}

/** Refuses one catalog price twice in `items` (`transaction_duplicate_price_ids`): Paddle wants one line per price. */
function assertDistinctPrices(items: ReadonlyArray<object> | undefined): void {
  const ids = (items ?? []).flatMap((item) =>
    'price_id' in item && typeof item.price_id === 'string' ? [item.price_id] : [],
  );
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) {
    throw new PaddleError(
      'transaction_duplicate_price_ids',
      `price ${duplicate} appears more than once in items; give it once with the total quantity`,
    );
  }
}

/** Completes a cardless-trial transaction in the caller's database transaction (paid hooks make the subscription). */
async function completeCardless(ctx: TxCtx, portal: PortalRef, row: TransactionRow): Promise<TransactionEntity> {
  const outcome = await completeWithoutCharge(ctx, portal, row);
  return outcome.transaction;
}

export async function createTransaction(
  ctx: Ctx,
  portal: PortalRef,
  input: CreateTransactionInput,
): Promise<TransactionEntity> {
  return withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const stored = toStoredTime(now);
    assertDistinctPrices(input.items);
    const items = await resolveItems(ctx, input.items);
    const blank: TransactionRow = {
      ...ctx.tenant,
      id: newId('transaction'),
      status: 'draft',
      customer_id: null,
      address_id: null,
      business_id: null,
      custom_data: null,
      currency_code: 'USD',
      origin: 'api',
      subscription_id: null,
      invoice_id: null,
      invoice_number: null,
      collection_mode: 'automatic',
      discount_id: null,
      billing_details: null,
      billing_period: null,
      items: transactionColumns.items.encode([]),
      // @NOTE a placeholder: repriced below before the row is stored.
      details: '{}',
      grand_total: 0n,
      credit_used: 0n,
      checkout_url: null,
      created_at: stored,
      updated_at: stored,
      billed_at: null,
      revised_at: null,
    };
    let row = applyInput(blank, input);
    const parties = await checkParties(ctx, row);
    const country = parties.address?.country_code ?? null;
    if (!input.currency_code) row.currency_code = defaultCurrency(items, country);
    checkCollection(row, parties);
    row = await reprice(ctx, row, items, country, null);
    row.status = readinessOf(row);
    assertCollectable(row);
    if (input.status !== undefined) row = await applyRequestedStatus(ctx, row, input.status);
    await insertTransactionRow(ctx, row);
    // A transaction just made has no payment attempts to read.
    const entity = await transactionEntity(ctx, row, portal.portalId, []);
    for (const event of ['transaction.created', ...statusEvents('draft', row.status)] as EventType[]) {
      await recordEvent(ctx, event, entity);
    }
    return startsCardlessTrial(row) ? completeCardless(ctx, portal, row) : entity;
  });
}

/** A status the caller asked for (`billed` or `canceled`), if Paddle's rules allow it from here. */
async function applyRequestedStatus(
  ctx: TxCtx,
  row: TransactionRow,
  requested: TransactionStatus,
): Promise<TransactionRow> {
  const next = requestStatus(row.status as TransactionStatus, requested, readinessInputs(row));
  if (next === row.status) return row;
  if (next !== 'billed') {
    if (row.status === 'billed' && row.customer_id && row.credit_used > 0n) {
      await moveCredit(ctx, row.customer_id, row.currency_code, { kind: 'release', amount: row.credit_used });
    }
    return { ...row, status: next };
  }
  const billed = await markBilled(ctx, row);
  if (billed.customer_id && billed.credit_used > 0n) {
    await moveCredit(ctx, billed.customer_id, billed.currency_code, {
      kind: 'reserve',
      amount: billed.credit_used,
    });
  }
  return billed.collection_mode === 'manual' ? runBilledHooks(ctx, billed) : billed;
}

function readinessInputs(row: TransactionRow) {
  return {
    has_items: transactionColumns.items.decode(row.items).length > 0,
    has_customer: row.customer_id !== null,
    has_address: row.address_id !== null,
    collection_mode: row.collection_mode as 'automatic' | 'manual',
    has_billing_details: row.billing_details !== null,
  };
}

/** Fields that change what is billed: only while draft or ready (a billed transaction is a legal record). */
const CONTENT_FIELDS: Array<keyof TransactionInput> = [
  'items',
  'customer_id',
  'address_id',
  'business_id',
  'currency_code',
  'collection_mode',
  'discount_id',
  'billing_details',
  'billing_period',
  'custom_data',
  'checkout',
];

export async function updateTransaction(
  ctx: Ctx,
  portal: PortalRef,
  id: string,
  input: TransactionInput,
): Promise<TransactionEntity> {
  return withTransaction(ctx, async (ctx) => {
    const current = await getTransactionRow(ctx, id);
    const changesContent = CONTENT_FIELDS.some((field) => input[field] !== undefined);
    if (changesContent && input.status === 'canceled') {
      throw new PaddleError(
        'transaction_cannot_be_modified_and_canceled',
        'A transaction cannot be changed and canceled in one request: cancel it with status alone',
      );
    }
    assertDistinctPrices(input.items);
    if (changesContent && !isEditable(current.status as TransactionStatus)) {
      throw new PaddleError('transaction_immutable');
    }
    let row: TransactionRow = { ...applyInput(current, input), updated_at: toStoredTime(ctx.clock.now()) };
    if (changesContent) {
      const parties = await checkParties(ctx, row);
      checkCollection(row, parties);
      const items = input.items ? await resolveItems(ctx, input.items) : itemsOf(current);
      row = await reprice(ctx, row, items, parties.address?.country_code ?? null, current.discount_id);
      row.status = readinessOf(row);
      assertCollectable(row);
    }
    if (input.status !== undefined) row = await applyRequestedStatus(ctx, row, input.status);
    await updateTransactionRow(ctx, row);
    const entity = await transactionEntity(ctx, row, portal.portalId);
    for (const event of ['transaction.updated', ...statusEvents(current.status, row.status)] as EventType[]) {
      await recordEvent(ctx, event, entity);
    }
    return startsCardlessTrial(row) ? completeCardless(ctx, portal, row) : entity;
  });
}

export async function getTransaction(ctx: Ctx, portal: PortalRef, id: string): Promise<TransactionEntity> {
  return transactionEntity(ctx, await getTransactionRow(ctx, id), portal.portalId);
}

export async function listTransactions(ctx: Ctx, portal: PortalRef, filters: TransactionFilters, page: PageRequest) {
  await writePendingRows(ctx);
  const result = await listRows(ctx.db, ctx.tenant, filters, page);
  const attempts = await paymentAttemptsOf(
    ctx.db,
    ctx.tenant,
    result.rows.map((row) => row.id),
  );
  const links = { hostedCheckoutUrl: hostedCheckoutUrl(ctx, portal.portalId) };
  const data = result.rows.map((row) =>
    serializeTransaction(
      row,
      attempts.filter((a) => a.transaction_id === row.id),
      links,
    ),
  );
  return { page: result, data };
}

/** The subscription's latest past-due transaction (what a payment retry or a new card pays). */
export async function findPastDueTransaction(ctx: Ctx, subscriptionId: string): Promise<TransactionRow | undefined> {
  await writePendingRows(ctx);
  const page = await listRows(
    ctx.db,
    ctx.tenant,
    { subscription_id: [subscriptionId], status: ['past_due'] },
    { perPage: 1, orderBy: { field: 'id', direction: 'DESC' } },
  );
  return page.rows[0];
}
