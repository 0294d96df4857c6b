// Taking a payment for a transaction: the hosted checkout and the `pay` test helper both come here, and so do
// renewals charging a saved card. Each call is one database transaction with the transaction row locked, so a
// double submit or a retry after a crash can never capture twice: a paid transaction is not payable again.
import { createHash, randomUUID } from 'node:crypto';
import { type Ctx, withTransaction, type TxCtx } from '../../../context.js';
import type { PaymentAttemptRow, PaymentMethodRow, TransactionRow } from '../../../db/tables.js';
import { recordEvent } from '../../../events/record.js';
import type { EventType } from '../../../events/catalogue.js';
import { isPayable, type TransactionStatus } from '../../../billing/transaction-status.js';
import { adjustedPayoutTotals, completedTotals } from '../../../billing/payouts.js';
import type { AdjustedTotals } from '../../../billing/totals.js';
import { laterChargeOutcome, type ParsedCard } from '../../../billing/test-cards.js';
import { PaddleError, notFound } from '../../../kernel/errors.js';
import { newId } from '../../../kernel/ids.js';
import { instantFromStored, toStoredTime } from '../../../kernel/time.js';
import { sameColumns } from '../../../kernel/same-columns.js';
import { getAddressRow } from '../../addresses/service.js';
import { availableCredit, moveCredit } from '../../credit-balances/service.js';
import { saveCard } from '../../payment-methods/service.js';
import { sellerPayoutsOf } from '../../sellers/service.js';
import { paymentMethodColumns, type CardDetails } from '../../payment-methods/serialize.js';
import { nextInvoiceNumber } from '../invoice-number.js';
import type { PaidContext } from '../../module.js';
import { runPaidHooks } from '../paid-hooks.js';
import {
  insertPaymentAttemptRow,
  lockTransactionRow,
  paymentAttemptsOfTransaction,
  updatePaymentAttemptRow,
  updateTransactionRow,
} from '../batch-rows.js';
import { priceTransaction } from '../pricing.js';
import { itemsOf, transactionEntity, type PortalRef } from '../entity.js';
import type { TransactionEntity } from '../serialize.js';
import {
  paymentAttemptColumns,
  transactionColumns,
  type StoredMethodDetails,
  type StoredTransactionDetails,
} from '../columns.js';

export type PaymentOutcome =
  | { kind: 'paid'; transaction: TransactionEntity }
  | { kind: 'declined'; transaction: TransactionEntity; errorCode: string }
  | { kind: 'action_required'; transaction: TransactionEntity; paymentAttemptId: string }
  /** Already paid, canceled or still missing details: nothing was attempted. */
  | { kind: 'not_payable'; transaction: TransactionEntity };

function cardDetails(card: ParsedCard): CardDetails {
  return {
    type: card.brand,
    last4: card.last4,
    expiry_month: card.expiry_month,
    expiry_year: card.expiry_year,
    cardholder_name: card.cardholder_name,
  };
}

async function lockRow(ctx: TxCtx, id: string): Promise<TransactionRow> {
  const row = await lockTransactionRow(ctx, id);
  if (!row) throw notFound(id);
  return row;
}

async function save(
  ctx: TxCtx,
  row: TransactionRow,
  events: EventType[],
  portal: PortalRef,
  attempts?: readonly PaymentAttemptRow[],
): Promise<TransactionEntity> {
  await updateTransactionRow(ctx, row);
  return announce(ctx, row, events, portal, attempts);
}

/** Records `events` of the transaction as `row` shows it, without writing the row (a later save writes it). */
async function announce(
  ctx: TxCtx,
  row: TransactionRow,
  events: EventType[],
  portal: PortalRef,
  attempts?: readonly PaymentAttemptRow[],
): Promise<TransactionEntity> {
  const entity = await transactionEntity(ctx, row, portal.portalId, attempts);
  for (const event of events) await recordEvent(ctx, event, entity);
  return entity;
}

/**
 * When a new attempt is made: now, or just after the transaction's newest attempt when the clock has not moved
 * past it (a frozen sandbox clock; found in a newcomer's trial): Paddle lists `payments[]` newest first, and
 * attempts made at one instant would be listed in no particular order (a declined card before the captured one).
 */
function attemptCreatedAt(ctx: Ctx, earlier: readonly PaymentAttemptRow[]): string {
  const now = toStoredTime(ctx.clock.now());
  const newest = earlier.reduce<string | undefined>(
    (at, row) => (at && at > row.created_at ? at : row.created_at),
    undefined,
  );
  return newest && newest >= now ? toStoredTime(instantFromStored(newest).add({ microseconds: 1 })) : now;
}

/** A new payment attempt of `row`; `earlier`: the transaction's attempts so far (see `attemptCreatedAt`). */
function newAttempt(
  ctx: Ctx,
  row: TransactionRow,
  methodDetails: StoredMethodDetails,
  paymentMethodId: string | null,
  earlier: readonly PaymentAttemptRow[],
  id: string = randomUUID(),
): PaymentAttemptRow {
  return {
    ...ctx.tenant,
    id,
    transaction_id: row.id,
    payment_method_id: paymentMethodId,
    amount: row.grand_total,
    status: 'created',
    error_code: null,
    method_details: paymentAttemptColumns.method_details.encode(methodDetails),
    created_at: attemptCreatedAt(ctx, earlier),
    captured_at: null,
  };
}

/**
 * Marks the transaction paid and then completed, in Paddle's event order: transaction.updated,
 * transaction.paid, (what paid hooks add: subscription.created, subscription.activated), transaction.updated,
 * transaction.completed. Credit the transaction used leaves the customer's balance here. `attempts`: the
 * transaction's payment attempts when the caller knows them all (a renewal's, made in this database transaction),
 * newest first as `paymentAttemptsOf` answers; otherwise they are read.
 */
async function completePayment(
  ctx: TxCtx,
  row: TransactionRow,
  paidWith: PaidContext,
  portal: PortalRef,
  knownAttempts?: readonly PaymentAttemptRow[],
): Promise<TransactionEntity> {
  const now = toStoredTime(ctx.clock.now());
  const paid: TransactionRow = { ...row, status: 'paid', updated_at: now };
  // Its payment attempts no longer change: read once for the three entities below.
  const attempts = knownAttempts ?? (await paymentAttemptsOfTransaction(ctx, row.id));
  // @NOTE the row is written once, completed, at the end (#10: each write of a transaction is its whole 5 KB
  // row): the paid state, and what the hooks attach, are announced from memory. Nothing in between reads the
  // transaction row, and all of it commits or rolls back together.
  await announce(ctx, paid, ['transaction.updated', 'transaction.paid'], portal, attempts);
  const hooked = await runPaidHooks(ctx, paid, paidWith);
  // What the hooks attached (a new subscription's id and billing period) is its own transaction.updated, as in
  // Paddle's subscription_creation scenario: …subscription.activated, transaction.updated, transaction.updated.
  if (!sameColumns(paid, hooked)) await announce(ctx, hooked, ['transaction.updated'], portal, attempts);
  if (hooked.customer_id && hooked.credit_used > 0n) {
    await moveCredit(ctx, hooked.customer_id, hooked.currency_code, {
      kind: 'use',
      amount: hooked.credit_used,
      fromReserved: row.status === 'billed' || row.status === 'past_due',
    });
  }
  const completed: TransactionRow = {
    ...hooked,
    status: 'completed',
    details: transactionColumns.details.encode(
      await withPayoutTotals(ctx, transactionColumns.details.decode(hooked.details)),
    ),
    invoice_number: hooked.invoice_number ?? (await nextInvoiceNumber(ctx, hooked.id)),
    billed_at: hooked.billed_at ?? now,
    updated_at: now,
  };
  return save(ctx, completed, ['transaction.updated', 'transaction.completed'], portal, attempts);
}

/**
 * Completion adds Paddle's fee and the seller's earnings to `totals` and `adjusted_totals` (no adjustments yet, so
 * the same), and `payout_totals` in the seller's balance currency (billing/payouts.ts has the arithmetic).
 * `adjusted_payout_totals` starts equal to them in Paddle's adjusted shape (the spec's completed example shows it).
 */
async function withPayoutTotals(ctx: TxCtx, details: StoredTransactionDetails): Promise<StoredTransactionDetails> {
  const { balanceCurrency, feeModel } = await sellerPayoutsOf(ctx);
  const completed = completedTotals(details.totals, feeModel, balanceCurrency);
  const { fee, earnings } = completed.totals;
  const adjusted = { ...(details.adjusted_totals as AdjustedTotals), fee, earnings };
  const payout = completed.payout_totals;
  return {
    ...details,
    totals: completed.totals,
    adjusted_totals: adjusted,
    payout_totals: payout,
    adjusted_payout_totals: payout && {
      ...adjustedPayoutTotals({ ...adjusted, fee: fee ?? '0', earnings: earnings ?? '0' }, payout),
      exchange_rate: payout.exchange_rate,
    },
  };
}

function ensurePayable(row: TransactionRow): boolean {
  return isPayable(row.status as TransactionStatus) && row.customer_id !== null && row.address_id !== null;
}

/**
 * The payment attempt id for a form submission: derived from the transaction and the form's one-time
 * `attempt_key`, so the same form sent twice names the same attempt (and cannot collide with another
 * transaction's). Without a key every call is a new attempt.
 */
function attemptIdFor(transactionId: string, attemptKey: string | undefined): string {
  if (!attemptKey) return randomUUID();
  const hex = createHash('sha256').update(`${transactionId}\n${attemptKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A form submitted again: what its first submission ended with, and nothing new is attempted. */
async function previousOutcome(
  ctx: Ctx,
  row: TransactionRow,
  attemptId: string,
  portal: PortalRef,
  attempts: readonly PaymentAttemptRow[],
): Promise<PaymentOutcome | undefined> {
  const attempt = attempts.find((a) => a.id === attemptId);
  if (!attempt) return undefined;
  const transaction = await transactionEntity(ctx, row, portal.portalId, attempts);
  switch (attempt.status) {
    case 'captured':
      return { kind: 'paid', transaction };
    case 'error':
      return { kind: 'declined', transaction, errorCode: attempt.error_code ?? 'declined' };
    case 'action_required':
      return { kind: 'action_required', transaction, paymentAttemptId: attempt.id };
    default:
      return { kind: 'not_payable', transaction };
  }
}

/**
 * Credit counted when an unbilled transaction was priced is not reserved, so another payment may have spent it
 * since. Billed (and past due) transactions hold theirs as `reserved`.
 */
async function creditStillAvailable(ctx: Ctx, row: TransactionRow): Promise<boolean> {
  if (row.credit_used === 0n || !row.customer_id || row.status === 'billed' || row.status === 'past_due') return true;
  return (await availableCredit(ctx, row.customer_id, row.currency_code)) >= row.credit_used;
}

/** Prices the transaction again with the credit there is now (transaction.updated); nothing is charged. */
async function repriceWithCurrentCredit(ctx: TxCtx, row: TransactionRow, portal: PortalRef): Promise<PaymentOutcome> {
  const address = await getAddressRow(ctx, row.customer_id as string, row.address_id as string);
  const priced = await priceTransaction(ctx, {
    items: itemsOf(row),
    currencyCode: row.currency_code,
    countryCode: address.country_code,
    customerId: row.customer_id,
  });
  const repriced: TransactionRow = {
    ...row,
    details: transactionColumns.details.encode(priced.details),
    grand_total: priced.grand_total,
    credit_used: priced.credit_used,
    updated_at: toStoredTime(ctx.clock.now()),
  };
  return { kind: 'not_payable', transaction: await save(ctx, repriced, ['transaction.updated'], portal) };
}

export interface PayOptions {
  /** The checkout form's one-time key: a second submission of the same form makes no second attempt. */
  attemptKey?: string;
}

/**
 * Pays with a card typed at checkout (or given to the pay test helper). Like Paddle, every attempt names the
 * card's payment method (`paymtd_…`), declined ones too; only a successful payment saves it for the customer.
 * `not_payable` when nothing was attempted: already paid or canceled, or its total just changed (the caller
 * shows the new total).
 */
export async function payWithCard(
  ctx: Ctx,
  portal: PortalRef,
  transactionId: string,
  card: ParsedCard,
  options: PayOptions = {},
): Promise<PaymentOutcome> {
  return withTransaction(ctx, async (ctx) => {
    const row = await lockRow(ctx, transactionId);
    const attemptId = attemptIdFor(row.id, options.attemptKey);
    // Read once: for an earlier submission of the same form, the new attempt's instant, and the entities announced.
    const earlier = await paymentAttemptsOfTransaction(ctx, row.id);
    // Without a form key the attempt id is new (random): there is no earlier submission to look for.
    const previous = options.attemptKey ? await previousOutcome(ctx, row, attemptId, portal, earlier) : undefined;
    if (previous) return previous;
    if (!ensurePayable(row))
      return { kind: 'not_payable', transaction: await transactionEntity(ctx, row, portal.portalId) };
    // The amount changes, so the customer must see it before paying: `not_payable` with the new totals.
    if (!(await creditStillAvailable(ctx, row))) return repriceWithCurrentCredit(ctx, row, portal);
    const methodDetails = { type: 'card', card: cardDetails(card) };
    const paymentMethodId = newId('payment_method');
    const attempt = newAttempt(ctx, row, methodDetails, paymentMethodId, earlier, attemptId);
    if (card.behaviour === 'decline') return decline(ctx, row, attempt, 'new', 'declined', portal, earlier);
    if (card.behaviour === 'challenge') {
      const challenged: PaymentAttemptRow = { ...attempt, status: 'action_required' };
      await insertPaymentAttemptRow(ctx, challenged);
      const entity = await save(
        ctx,
        { ...row, updated_at: toStoredTime(ctx.clock.now()) },
        ['transaction.updated'],
        portal,
        [challenged, ...earlier],
      );
      return { kind: 'action_required', transaction: entity, paymentAttemptId: attempt.id };
    }
    return capture(ctx, row, attempt, 'new', card, portal, earlier);
  });
}

async function capture(
  ctx: TxCtx,
  row: TransactionRow,
  attempt: PaymentAttemptRow,
  stored: AttemptStored,
  card: ParsedCard,
  portal: PortalRef,
  others: readonly PaymentAttemptRow[],
): Promise<PaymentOutcome> {
  const method = await saveCard(ctx, {
    ...(attempt.payment_method_id ? { id: attempt.payment_method_id } : {}),
    customerId: row.customer_id as string,
    addressId: row.address_id as string,
    card: cardDetails(card),
    laterCharges: laterChargeOutcome(card.behaviour),
    origin:
      row.subscription_id || transactionColumns.items.decode(row.items).some((item) => item.price.billing_cycle)
        ? 'subscription'
        : 'saved_during_purchase',
  });
  const now = toStoredTime(ctx.clock.now());
  const captured: PaymentAttemptRow = {
    ...attempt,
    status: 'captured',
    payment_method_id: method.id,
    captured_at: now,
  };
  await writeAttempt(ctx, captured, stored);
  const attempts = withAttempt(captured, others);
  return {
    kind: 'paid',
    transaction: await completePayment(ctx, row, { paymentMethodId: method.id }, portal, attempts),
  };
}

/**
 * Whether the attempt being finished is `new` (made by this call: inserted) or already `stored` (a 3-D Secure
 * challenge's `action_required` attempt, finished in place). The caller knows, so nothing is read to find out.
 */
type AttemptStored = 'new' | 'stored';

/**
 * The transaction's attempts with `attempt` as it is now: in its place when it was among `others` (a challenge
 * finished in place), else first (the newest, `attemptCreatedAt`).
 */
function withAttempt(attempt: PaymentAttemptRow, others: readonly PaymentAttemptRow[]): PaymentAttemptRow[] {
  return others.some((row) => row.id === attempt.id)
    ? others.map((row) => (row.id === attempt.id ? attempt : row))
    : [attempt, ...others];
}

async function writeAttempt(ctx: TxCtx, attempt: PaymentAttemptRow, stored: AttemptStored): Promise<void> {
  if (stored === 'stored') await updatePaymentAttemptRow(ctx, attempt);
  else await insertPaymentAttemptRow(ctx, attempt);
}

async function decline(
  ctx: TxCtx,
  row: TransactionRow,
  attempt: PaymentAttemptRow,
  stored: AttemptStored,
  errorCode: string,
  portal: PortalRef,
  others: readonly PaymentAttemptRow[],
): Promise<PaymentOutcome> {
  const failed: PaymentAttemptRow = { ...attempt, status: 'error', error_code: errorCode };
  await writeAttempt(ctx, failed, stored);
  const entity = await save(
    ctx,
    { ...row, updated_at: toStoredTime(ctx.clock.now()) },
    ['transaction.updated', 'transaction.payment_failed'],
    portal,
    withAttempt(failed, others),
  );
  return { kind: 'declined', transaction: entity, errorCode };
}

/** The customer finished (or failed) the 3-D Secure challenge of an `action_required` attempt. */
export async function completeChallenge(
  ctx: Ctx,
  portal: PortalRef,
  transactionId: string,
  attemptId: string,
  passed: boolean,
): Promise<PaymentOutcome> {
  return withTransaction(ctx, async (ctx) => {
    const row = await lockRow(ctx, transactionId);
    const attempts = await paymentAttemptsOfTransaction(ctx, row.id);
    const attempt = attempts.find((a) => a.id === attemptId);
    if (!attempt) throw notFound(attemptId);
    if (attempt.status !== 'action_required' || !ensurePayable(row)) {
      return { kind: 'not_payable', transaction: await transactionEntity(ctx, row, portal.portalId) };
    }
    if (!passed) return decline(ctx, row, attempt, 'stored', 'authentication_failed', portal, attempts);
    if (!(await creditStillAvailable(ctx, row))) {
      await updatePaymentAttemptRow(ctx, { ...attempt, status: 'canceled' });
      return repriceWithCurrentCredit(ctx, row, portal);
    }
    const stored = paymentAttemptColumns.method_details.decode(attempt.method_details).card;
    // @NOTE only card payments are challenged, so the attempt names its card.
    if (!stored) throw new Error(`payment attempt ${attempt.id} has no card to complete`);
    const card: ParsedCard = {
      brand: stored.type as ParsedCard['brand'],
      last4: stored.last4,
      expiry_month: stored.expiry_month,
      expiry_year: stored.expiry_year,
      cardholder_name: stored.cardholder_name,
      behaviour: 'succeed',
      is_test_card: true,
    };
    return capture(ctx, row, attempt, 'stored', card, portal, attempts);
  });
}

/**
 * Charges a subscription's own saved payment method (renewals, one-time charges, updates) inside the caller's
 * transaction. The sandbox card's recorded behaviour decides the outcome: 4000 0027 6000 3184 declines every later
 * charge. `earlierAttempts`: the transaction's attempts before this one when the caller knows them (none, for a
 * transaction it just made), so they are not read again.
 */
export async function chargeSavedMethod(
  ctx: TxCtx,
  portal: PortalRef,
  row: TransactionRow,
  method: PaymentMethodRow,
  earlierAttempts?: readonly PaymentAttemptRow[],
): Promise<PaymentOutcome> {
  const earlier = earlierAttempts ?? (await paymentAttemptsOfTransaction(ctx, row.id));
  const attempt = newAttempt(
    ctx,
    row,
    { type: method.type, card: paymentMethodColumns.card.decode(method.card) },
    method.id,
    earlier,
  );
  if (method.later_charges === 'decline') return decline(ctx, row, attempt, 'new', 'declined', portal, earlier);
  const captured: PaymentAttemptRow = { ...attempt, status: 'captured', captured_at: toStoredTime(ctx.clock.now()) };
  await insertPaymentAttemptRow(ctx, captured);
  const paidWith = { paymentMethodId: method.id, subscriptionsOwnMethod: true };
  return { kind: 'paid', transaction: await completePayment(ctx, row, paidWith, portal, [captured, ...earlier]) };
}

export function notPayableError(entity: TransactionEntity): PaddleError {
  if (entity.status === 'draft') {
    return new PaddleError(
      'transaction_status_must_be_ready',
      'Transaction status needs to be ready: add a customer and an address first.',
    );
  }
  return new PaddleError(
    'transaction_not_payable',
    `Transaction ${entity.id} cannot be paid when its status is '${entity.status}'.`,
  );
}

/** The transaction row, locked, for a subscription charge. */
export async function lockTransactionForBilling(ctx: TxCtx, id: string): Promise<TransactionRow> {
  return lockRow(ctx, id);
}

/** Nothing to charge (a zero total, e.g. covered by credit): paid and completed without a payment attempt. */
export async function completeWithoutCharge(
  ctx: TxCtx,
  portal: PortalRef,
  row: TransactionRow,
): Promise<PaymentOutcome> {
  return { kind: 'paid', transaction: await completePayment(ctx, row, { paymentMethodId: null }, portal) };
}

/** A subscription's payment failed: its transaction becomes past due (Paddle: transaction.past_due). */
export async function markPastDue(ctx: TxCtx, portal: PortalRef, id: string): Promise<TransactionEntity> {
  const row = await lockRow(ctx, id);
  if (row.status === 'past_due') return transactionEntity(ctx, row, portal.portalId);
  return save(
    ctx,
    { ...row, status: 'past_due', updated_at: toStoredTime(ctx.clock.now()) },
    ['transaction.updated', 'transaction.past_due'],
    portal,
  );
}
