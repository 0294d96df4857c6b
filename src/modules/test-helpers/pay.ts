// `POST /test-helpers/transactions/{id}/pay`: what the hosted checkout does, without a browser. The card's
// documented outcome applies; a 3-D Secure card's challenge is passed, as a customer completing it would.
import { cardBrand, parseCardInput, type ParsedCard } from '../../billing/test-cards.js';
import { isPayable, type TransactionStatus } from '../../billing/transaction-status.js';
import type { Ctx } from '../../context.js';
import { invalidField } from '../../kernel/errors.js';
import { utcYearMonth } from '../../kernel/time.js';
import { completeChallenge, notPayableError, payWithCard } from '../transactions/operations/pay.js';
import type { PortalRef } from '../transactions/entity.js';
import type { TransactionEntity } from '../transactions/serialize.js';

/** One payment as a customer makes it: a 3-D Secure challenge is completed. */
async function pay(ctx: Ctx, portal: PortalRef, transactionId: string, card: ParsedCard) {
  const outcome = await payWithCard(ctx, portal, transactionId, card);
  return outcome.kind === 'action_required'
    ? completeChallenge(ctx, portal, transactionId, outcome.paymentAttemptId, true)
    : outcome;
}

export interface PayInput {
  card_number?: unknown;
}

export async function payAsCustomer(
  ctx: Ctx,
  portal: PortalRef,
  transactionId: string,
  input: PayInput,
): Promise<TransactionEntity> {
  if (input.card_number !== undefined && typeof input.card_number !== 'string') {
    throw invalidField([{ field: 'card_number', message: 'must be a string of digits' }]);
  }
  const unknown = Object.keys(input).filter((key) => key !== 'card_number');
  if (unknown.length > 0) throw invalidField(unknown.map((field) => ({ field, message: 'property is not allowed' })));
  const nextYear = utcYearMonth(ctx.clock.now()).year + 1;
  const number = input.card_number ?? '4242424242424242';
  // @NOTE Paddle's test CVC is 100; American Express cards take four digits.
  const cvc = cardBrand(number.replace(/[\s-]/g, '')) === 'american_express' ? '1000' : '100';
  const parsed = parseCardInput(
    { number, expiry_month: '12', expiry_year: String(nextYear), cvc, cardholder_name: 'Sandbox Tester' },
    ctx.clock.now(),
  );
  if (!parsed.ok)
    throw invalidField(
      parsed.errors.map((error) => ({
        field: error.field === 'number' ? 'card_number' : error.field,
        message: error.message,
      })),
    );
  let outcome = await pay(ctx, portal, transactionId, parsed.card);
  // The total changed just now (credit it counted on was spent elsewhere): a customer sees it and pays again.
  if (outcome.kind === 'not_payable' && isPayable(outcome.transaction.status as TransactionStatus))
    outcome = await pay(ctx, portal, transactionId, parsed.card);
  if (outcome.kind === 'not_payable') throw notPayableError(outcome.transaction);
  return outcome.transaction;
}
