// The hosted checkout: `checkout.url` = `${PADDOCK_PUBLIC_URL}/checkout/{cpl_id}?_ptxn=txn_…`. Plain HTML forms,
// no JavaScript. The portal id names the seller environment; the transaction is looked up inside it.
// A double click is answered from the first result: the payment runs with the transaction row locked and the
// attempt named by the form's attempt_key, so any process seeing the second submission finds the first outcome.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseCardInput, declineMessage, type CardInput } from '../../billing/test-cards.js';
import { isPayable } from '../../billing/transaction-status.js';
import type { Ctx } from '../../context.js';
import { ctxFor, type ServerDeps } from '../../http/operation.js';
import { formFields, pathParam, property, queryParam } from '../../http/request-values.js';
import { PaddleError } from '../../kernel/errors.js';
import { getCustomer } from '../../modules/customers/service.js';
import { invoiceLinkIfAvailable } from '../../modules/invoices/service.js';
import { findPortal, type PortalTenant } from '../../modules/sellers/service.js';
import {
  attachCheckoutDetails,
  CHECKOUT_DETAIL_MESSAGES,
  checkoutDetailsErrors,
  type CheckoutDetailsField,
} from '../../modules/transactions/operations/checkout-details.js';
import { completeChallenge, payWithCard, type PaymentOutcome } from '../../modules/transactions/operations/pay.js';
import type { TransactionEntity } from '../../modules/transactions/serialize.js';
import { getTransaction, updateTransaction } from '../../modules/transactions/service.js';
import { discountForCheckoutCode } from '../../modules/discounts/redemption.js';
import { cardDescription, itemsVm, totalsVm } from './view-models.js';
import {
  CHECKOUT_COUNTRY_CODES,
  renderChallengePage,
  renderCheckoutPage,
  renderCheckoutUnavailablePage,
  renderPaidPage,
  type CheckoutError,
  type CheckoutField,
} from './views.js';
import { sendHtml } from '../shared/respond.js';

type Form = Partial<Record<CheckoutField | 'attempt_key', string>>;

interface Resolved {
  ctx: Ctx;
  portal: PortalTenant;
  transaction: TransactionEntity;
}

/**
 * A transaction the checkout can take a payment for: payable (or a draft, whose missing customer and address
 * the checkout asks for), and with a checkout (manual invoices may have none).
 */
function isPayableHere(transaction: TransactionEntity): boolean {
  return (transaction.status === 'draft' || isPayable(transaction.status)) && transaction.checkout !== null;
}

async function customerEmail({ ctx, transaction }: Resolved): Promise<string | null> {
  return transaction.customer_id ? (await getCustomer(ctx, transaction.customer_id)).email : null;
}

function checkoutPath(portalId: string, transactionId: string, suffix = ''): string {
  return `/checkout/${portalId}${suffix}?_ptxn=${transactionId}`;
}

async function resolve(deps: ServerDeps, request: FastifyRequest): Promise<Resolved | undefined> {
  const portalId = pathParam(request, 'portalId');
  const transactionId = queryParam(request, '_ptxn') ?? '';
  const portal = await findPortal(deps.db, portalId);
  if (!portal || !/^txn_[a-z\d]{26}$/.test(transactionId)) return undefined;
  const ctx = ctxFor(deps, portal);
  try {
    return { ctx, portal, transaction: await getTransaction(ctx, portal, transactionId) };
  } catch (error) {
    if (error instanceof PaddleError && error.code === 'not_found') return undefined;
    throw error;
  }
}

function unavailable(reply: FastifyReply, resolved: Resolved | undefined): FastifyReply {
  const reason = !resolved ? 'not_found' : resolved.transaction.status === 'canceled' ? 'canceled' : 'not_payable';
  return sendHtml(
    reply,
    resolved ? 409 : 404,
    renderCheckoutUnavailablePage({
      seller_name: resolved?.portal.sellerName ?? null,
      reason,
      transaction_id: resolved?.transaction.id ?? null,
    }),
  );
}

/** The card a payment attempt used (`method_details.card`), when it has a brand and last four digits. */
function cardOf(methodDetails: unknown): { type: string; last4: string } | undefined {
  const card = property(methodDetails, 'card');
  const type = property(card, 'type');
  const last4 = property(card, 'last4');
  return typeof type === 'string' && typeof last4 === 'string' ? { type, last4 } : undefined;
}

async function paidPage(reply: FastifyReply, resolved: Resolved): Promise<FastifyReply> {
  const { ctx, portal, transaction } = resolved;
  const captured = transaction.payments.find((payment) => payment.status === 'captured');
  const card = cardOf(captured?.method_details);
  return sendHtml(
    reply,
    200,
    renderPaidPage({
      seller_name: portal.sellerName,
      transaction_id: transaction.id,
      items: itemsVm(transaction),
      totals: totalsVm(transaction),
      card_description: cardDescription(card),
      customer_email: await customerEmail(resolved),
      // A fresh one-hour link each time the page is shown; none until the invoice exists (completed).
      invoice_url: await invoiceLinkIfAvailable(ctx, portal, transaction),
      return_url: null,
    }),
  );
}

async function checkoutPage(
  reply: FastifyReply,
  status: number,
  resolved: Resolved,
  form: Form,
  errors: CheckoutError[],
): Promise<FastifyReply> {
  const { portal, transaction } = resolved;
  return sendHtml(
    reply,
    status,
    renderCheckoutPage({
      seller_name: portal.sellerName,
      transaction_id: transaction.id,
      action: checkoutPath(portal.portalId, transaction.id, '/pay'),
      attempt_key: randomUUID(),
      items: itemsVm(transaction),
      totals: totalsVm(transaction),
      customer_email: await customerEmail(resolved),
      ask_email: transaction.customer_id === null,
      ask_address: transaction.address_id === null,
      values: {
        email: form.email,
        country_code: form.country_code,
        postal_code: form.postal_code,
        discount_code: form.discount_code,
      },
      // A discount changes what is billed: only while the transaction may still change (draft or ready).
      discount_action:
        transaction.status === 'draft' || transaction.status === 'ready'
          ? checkoutPath(portal.portalId, transaction.id, '/discount')
          : null,
      errors,
      show_test_card_hint: portal.tenant.environment === 'sandbox',
    }),
  );
}

/** Shows the page that fits the transaction's state: checkout, thank-you, or unavailable. */
async function showState(
  reply: FastifyReply,
  resolved: Resolved | undefined,
  errors: CheckoutError[] = [],
): Promise<FastifyReply> {
  if (!resolved) return unavailable(reply, resolved);
  const status = resolved.transaction.status;
  if (status === 'paid' || status === 'completed') return paidPage(reply, resolved);
  if (!isPayableHere(resolved.transaction)) return unavailable(reply, resolved);
  return checkoutPage(reply, errors.length > 0 ? 422 : 200, resolved, {}, errors);
}

const DETAIL_FIELDS: readonly CheckoutDetailsField[] = ['email', 'country_code', 'postal_code'];

/**
 * An error from creating the customer or address (the form was checked first, so these are rare): shown next
 * to its field in the checkout's words, or above the form.
 */
function fieldErrors(error: unknown): CheckoutError[] | undefined {
  if (!(error instanceof PaddleError) || error.status !== 400) return undefined;
  if (!error.errors) return [{ field: null, message: error.detail }];
  return error.errors.map((e) => {
    const field = DETAIL_FIELDS.find((name) => name === e.field);
    return field ? { field, message: CHECKOUT_DETAIL_MESSAGES[field] } : { field: null, message: e.message };
  });
}

/** Errors of the whole form, in the order its fields appear: details first, then the card. */
function formErrors(transaction: TransactionEntity, form: Form, cardErrors: CheckoutError[]): CheckoutError[] {
  return [...checkoutDetailsErrors(transaction, form, CHECKOUT_COUNTRY_CODES), ...cardErrors];
}

/** What the buyer pays now, in minor units. */
function dueOf(transaction: TransactionEntity): bigint {
  const grandTotal = property(transaction.details.totals, 'grand_total');
  return BigInt(typeof grandTotal === 'string' ? grandTotal : '0');
}

/** Shown instead of charging when the total changed after the page was shown; the card is asked for again. */
function amountChanged(before: TransactionEntity, after: TransactionEntity, lead = 'The amount due is now'): string {
  return `${lead} ${totalsVm(after).amount_due} (it was ${totalsVm(before).amount_due}). Check the order summary, then enter your card details again to pay.`;
}

function afterPayment(
  reply: FastifyReply,
  resolved: Resolved,
  outcome: PaymentOutcome,
  form: Form,
  declined: string,
): FastifyReply | Promise<FastifyReply> {
  const { portal } = resolved;
  switch (outcome.kind) {
    case 'paid':
    case 'not_payable':
      return reply.redirect(checkoutPath(portal.portalId, outcome.transaction.id), 303);
    case 'action_required':
      return reply.redirect(
        checkoutPath(portal.portalId, outcome.transaction.id, `/3ds/${outcome.paymentAttemptId}`),
        303,
      );
    case 'declined':
      return checkoutPage(reply, 402, { ...resolved, transaction: outcome.transaction }, form, [
        { field: null, message: declined },
      ]);
  }
}

/** A refused discount code in the buyer's words, by Paddle's code; undefined for any other error. */
const DISCOUNT_CODE_MESSAGES: Partial<Record<string, string>> = {
  transaction_discount_not_found: 'This discount code is not valid.',
  entity_archived: 'This discount code is not valid.',
  discount_expired: 'This discount code has expired.',
  discount_usage_limit_exceeded: 'This discount code has already been used the maximum number of times.',
  transaction_invalid_discount_currency: 'This discount code does not apply to this order.',
  transaction_discount_not_eligible: 'This discount code does not apply to this order.',
};

/**
 * Applies the code typed at checkout: the discount it names (enabled for checkout, redeemable, in the order's
 * currency, covering an item) becomes the transaction's `discount_id`, through the API's update (its events and
 * repricing). Answers the page again with the new totals (303), or with the refusal next to the field (422).
 */
async function applyDiscountCode(reply: FastifyReply, resolved: Resolved, form: Form): Promise<FastifyReply> {
  const { ctx, portal, transaction } = resolved;
  const code = (form.discount_code ?? '').trim();
  if (code === '')
    return checkoutPage(reply, 422, resolved, form, [{ field: 'discount_code', message: 'Enter a discount code.' }]);
  try {
    const discount = await discountForCheckoutCode(ctx, code, {
      currency: transaction.currency_code,
      lines: itemsOf(transaction),
    });
    await updateTransaction(ctx, portal, transaction.id, { discount_id: discount.id });
  } catch (error) {
    const message = error instanceof PaddleError ? DISCOUNT_CODE_MESSAGES[error.code] : undefined;
    if (!message) throw error;
    return checkoutPage(reply, 422, resolved, form, [{ field: 'discount_code', message }]);
  }
  return reply.redirect(checkoutPath(portal.portalId, transaction.id), 303);
}

/** The price and product of each line a discount may cover. */
function itemsOf(transaction: TransactionEntity): Array<{ price_id: string | null; product_id: string | null }> {
  const lines = (transaction.details.line_items ?? []) as Array<{
    price_id: string | null;
    product: { id: string | null };
  }>;
  return lines.map((line) => ({ price_id: line.price_id, product_id: line.product.id }));
}

/** The two buttons of the sandbox's 3-D Secure page: `/complete` passes the challenge, `/fail` fails it. */
const CHALLENGE_OUTCOMES: ReadonlyArray<[action: string, passed: boolean]> = [
  ['complete', true],
  ['fail', false],
];

export function checkoutRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get('/checkout/:portalId', async (request, reply) => showState(reply, await resolve(deps, request)));

  app.post('/checkout/:portalId/pay', async (request, reply) => {
    const form: Form = formFields(request);
    let resolved = await resolve(deps, request);
    if (!resolved || !isPayableHere(resolved.transaction)) return showState(reply, resolved);
    const attemptKey = typeof form.attempt_key === 'string' && form.attempt_key !== '' ? form.attempt_key : undefined;
    const card: CardInput = {
      number: form.number ?? '',
      expiry_month: form.expiry_month ?? '',
      expiry_year: form.expiry_year ?? '',
      cvc: form.cvc ?? '',
      cardholder_name: form.cardholder_name ?? '',
    };
    const parsed = parseCardInput(card, resolved.ctx.clock.now());
    const errors = formErrors(resolved.transaction, form, parsed.ok ? [] : parsed.errors);
    if (errors.length > 0 || !parsed.ok) return checkoutPage(reply, 422, resolved, form, errors);
    const shown = resolved.transaction;
    try {
      const transaction = await attachCheckoutDetails(
        resolved.ctx,
        resolved.portal,
        resolved.transaction.id,
        form,
        CHECKOUT_COUNTRY_CODES,
      );
      resolved = { ...resolved, transaction };
    } catch (error) {
      const detailErrors = fieldErrors(error);
      if (!detailErrors) throw error;
      return checkoutPage(reply, 422, resolved, form, detailErrors);
    }
    // @NOTE the form showed a total before the buyer's country was known; tax (or a country price) can raise
    // it. Never charge more than the button said: show the new total and ask for the card again.
    if (dueOf(resolved.transaction) > dueOf(shown)) {
      return checkoutPage(reply, 409, resolved, {}, [
        { field: null, message: amountChanged(shown, resolved.transaction, 'The amount due for your country is') },
      ]);
    }
    // The same form sent again (double click, back button) is answered with its first outcome, not a new attempt.
    let outcome: PaymentOutcome;
    try {
      outcome = await payWithCard(
        resolved.ctx,
        resolved.portal,
        resolved.transaction.id,
        parsed.card,
        attemptKey ? { attemptKey } : {},
      );
    } catch (error) {
      // @NOTE others used up the discount since it was applied: nothing was charged (discounts/redemption.ts).
      if (!(error instanceof PaddleError) || error.code !== 'discount_usage_limit_exceeded') throw error;
      return checkoutPage(reply, 409, resolved, {}, [
        { field: 'discount_code', message: DISCOUNT_CODE_MESSAGES[error.code] ?? error.detail },
      ]);
    }
    if (
      outcome.kind === 'not_payable' &&
      isPayableHere(outcome.transaction) &&
      dueOf(outcome.transaction) !== dueOf(resolved.transaction)
    ) {
      // Credit the total counted on was spent by another payment: nothing was charged, show the new total.
      return checkoutPage(reply, 409, { ...resolved, transaction: outcome.transaction }, {}, [
        { field: null, message: amountChanged(resolved.transaction, outcome.transaction) },
      ]);
    }
    return afterPayment(reply, resolved, outcome, form, declineMessage(parsed.card));
  });

  app.post('/checkout/:portalId/discount', async (request, reply) => {
    const resolved = await resolve(deps, request);
    if (!resolved || !isPayableHere(resolved.transaction)) return showState(reply, resolved);
    if (resolved.transaction.status !== 'draft' && resolved.transaction.status !== 'ready')
      return showState(reply, resolved);
    return applyDiscountCode(reply, resolved, formFields(request));
  });

  app.get('/checkout/:portalId/3ds/:attemptId', async (request, reply) => {
    const resolved = await resolve(deps, request);
    const attemptId = pathParam(request, 'attemptId');
    const attempt = resolved?.transaction.payments.find((payment) => payment.payment_attempt_id === attemptId);
    if (!resolved || !attempt || attempt.status !== 'action_required') return showState(reply, resolved);
    const card = cardOf(attempt.method_details);
    return sendHtml(
      reply,
      200,
      renderChallengePage({
        seller_name: resolved.portal.sellerName,
        transaction_id: resolved.transaction.id,
        amount: totalsVm(resolved.transaction).amount_due,
        card_description: cardDescription(card) ?? 'Your card',
        complete_action: checkoutPath(resolved.portal.portalId, resolved.transaction.id, `/3ds/${attemptId}/complete`),
        fail_action: checkoutPath(resolved.portal.portalId, resolved.transaction.id, `/3ds/${attemptId}/fail`),
        attempt_key: null,
      }),
    );
  });

  for (const [action, passed] of CHALLENGE_OUTCOMES) {
    app.post(`/checkout/:portalId/3ds/:attemptId/${action}`, async (request, reply) => {
      const resolved = await resolve(deps, request);
      if (!resolved) return showState(reply, resolved);
      const attemptId = pathParam(request, 'attemptId');
      if (!resolved.transaction.payments.some((payment) => payment.payment_attempt_id === attemptId))
        return showState(reply, resolved);
      const outcome = await completeChallenge(
        resolved.ctx,
        resolved.portal,
        resolved.transaction.id,
        attemptId,
        passed,
      );
      if (
        outcome.kind === 'not_payable' &&
        isPayableHere(outcome.transaction) &&
        dueOf(outcome.transaction) !== dueOf(resolved.transaction)
      ) {
        return checkoutPage(reply, 409, { ...resolved, transaction: outcome.transaction }, {}, [
          { field: null, message: amountChanged(resolved.transaction, outcome.transaction) },
        ]);
      }
      return afterPayment(
        reply,
        resolved,
        outcome,
        {},
        'Authentication failed, so your card was not charged. Try again or use another card.',
      );
    });
  }
}
