import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp } from '../../../test/support/app.js';
import { aBuyer, aPrice, aTransaction } from '../../../test/support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../../../test/support/contract.js';
import { lastEventId, recordedEvents } from '../../../test/support/events.js';
import { setSellerPayouts } from '../sellers/service.js';
import { Temporal } from '../../kernel/time.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function readyTransaction(key?: string) {
    const price = await aPrice(t(), { unit_price: { amount: '2500', currency_code: 'USD' } }, key);
    const { customer, address } = await aBuyer(t(), 'US', key);
    return aTransaction(
      t(),
      { items: [{ price_id: price.id, quantity: 2 }], customer_id: customer.id, address_id: address.id },
      key,
    );
  }

  async function pay(id: string, body: unknown = {}, key?: string) {
    return t().request('POST', `/test-helpers/transactions/${id}/pay`, { body, ...(key ? { key } : {}) });
  }

  /** The answer's transaction, checked against Paddle's transaction entity (as GET /transactions/{id} answers it). */
  function assertTransactionShape(res: Awaited<ReturnType<typeof pay>>) {
    assertMatchesSpec('get-transaction', { ...res, body: { data: res.body.data, meta: res.body.meta } });
  }

  async function paymentMethodRow(id: string) {
    return t().db.selectFrom('payment_methods').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  describe('payout totals', () => {
    it("are in the seller's balance currency, with its own fee model and the reference exchange rate", async () => {
      const sellerId = `sel_payouts_${dialect}`;
      const keys = await t().createSeller(sellerId);
      await setSellerPayouts(t().db, sellerId, {
        balanceCurrency: 'EUR',
        feeRate: '0.029',
        feeFixed: { amount: 30n, currency: 'USD' },
      });
      const price = await aPrice(t(), { unit_price: { amount: '10000', currency_code: 'USD' } }, keys.sandbox);
      const { customer, address } = await aBuyer(t(), 'US', keys.sandbox);
      const txn = await aTransaction(
        t(),
        { items: [{ price_id: price.id, quantity: 1 }], customer_id: customer.id, address_id: address.id },
        keys.sandbox,
      );
      const res = await pay(txn.id, {}, keys.sandbox);
      assertTransactionShape(res);
      const details = res.body.data.details;
      // 2.9 % of $100.00 + 30¢ = 320; earnings 10000 − 0 − 320
      assert.equal(details.totals.fee, '320');
      assert.equal(details.totals.earnings, '9680');
      // USD → EUR at the ECB's 2025-05-09 rates: 1 / 1.1252 = 0.88873089
      assert.equal(details.payout_totals.currency_code, 'EUR');
      assert.equal(details.payout_totals.exchange_rate, '0.88873089');
      assert.equal(details.payout_totals.fee_rate, '0.029');
      assert.equal(details.payout_totals.grand_total, '8887'); // 8887.3089
      assert.equal(details.payout_totals.fee, '284'); // 284.39
      assert.equal(details.payout_totals.earnings, '8603');
      const completed = await recordedEvents(t(), { type: 'transaction.completed', entityId: txn.id });
      assert.deepEqual(completed[0]?.data.details.payout_totals, details.payout_totals);
      await assert.rejects(setSellerPayouts(t().db, sellerId, { balanceCurrency: 'JPY' }), /balance currency/);
    });
  });

  describe('POST /test-helpers/transactions/{id}/pay', () => {
    it('pays with the default card (4242…): completed, captured visa payment, invoice number, saved method', async () => {
      const txn = await readyTransaction();
      const res = await pay(txn.id);
      assert.equal(res.status, 200, res.text);
      assertTransactionShape(res);
      const paid = res.body.data;
      assert.equal(paid.id, txn.id);
      assert.equal(paid.status, 'completed');
      assert.match(paid.invoice_number, /^\d{4}-\d{5}$/);
      assert.ok(paid.billed_at);
      assert.equal(paid.payments.length, 1);
      const [payment] = paid.payments;
      assert.equal(payment.status, 'captured');
      assert.equal(payment.amount, paid.details.totals.grand_total);
      assert.equal(payment.error_code, null);
      assert.ok(payment.captured_at);
      assert.match(payment.payment_attempt_id, /^[0-9a-f-]{36}$/);
      assert.match(payment.payment_method_id, /^paymtd_[a-z\d]{26}$/);
      assert.deepEqual(payment.method_details, {
        type: 'card',
        card: {
          type: 'visa',
          last4: '4242',
          expiry_month: 12,
          expiry_year: payment.method_details.card.expiry_year,
          cardholder_name: 'Sandbox Tester',
        },
        paypal: null,
        south_korea_local_card: null,
        underlying_details: null,
      });
      // Paddle's published fee, 5 % + 50¢, paid out in USD (the default seller's balance currency): 250 + 50.
      assert.equal(paid.details.totals.grand_total, '5000');
      assert.equal(paid.details.totals.fee, '300');
      assert.equal(paid.details.totals.earnings, '4700');
      assert.equal(paid.details.totals.balance, '0', 'paid in full');
      assert.deepEqual(paid.details.adjusted_totals, {
        subtotal: '5000',
        tax: '0',
        total: '5000',
        grand_total: '5000',
        grand_total_tax: '0',
        fee: '300',
        earnings: '4700',
        currency_code: 'USD',
        retained_fee: '0',
      });
      assert.deepEqual(paid.details.payout_totals, {
        subtotal: '5000',
        discount: '0',
        tax: '0',
        total: '5000',
        credit: '0',
        credit_to_balance: '0',
        balance: '0',
        grand_total: '5000',
        grand_total_tax: '0',
        fee: '300',
        earnings: '4700',
        currency_code: 'USD',
        exchange_rate: '1',
        fee_rate: '0.05',
      });
      // Nothing adjusted yet: the adjusted payout figures are the payout's, in Paddle's adjusted shape.
      assert.deepEqual(paid.details.adjusted_payout_totals, {
        subtotal: '5000',
        tax: '0',
        total: '5000',
        fee: '300',
        chargeback_fee: { amount: '0', original: null },
        earnings: '4700',
        retained_fee: '0',
        currency_code: 'USD',
        exchange_rate: '1',
      });
      assert.equal(txn.details.payout_totals, null, 'no payout totals before completion');
      const method = await paymentMethodRow(payment.payment_method_id);
      assert.equal(method.customer_id, txn.customer_id);
      assert.equal(method.address_id, txn.address_id);
      assert.equal(method.later_charges, 'succeed');
      assert.equal(method.origin, 'saved_during_purchase');
      const got = await t().request('GET', `/transactions/${txn.id}`);
      assertMatchesSpec('get-transaction', got);
      assert.deepEqual(got.body.data, paid);
    });

    it('gives each sandbox card its documented outcome', async () => {
      const debit = await pay((await readyTransaction()).id, { card_number: '4000 0566 5566 5556' });
      assert.equal(debit.body.data.status, 'completed');
      assert.equal(debit.body.data.payments[0].method_details.card.last4, '5556');

      // 3-D Secure: the helper passes the challenge; the one attempt went through action_required to captured.
      const secure = await pay((await readyTransaction()).id, { card_number: '4000003800000446' });
      assert.equal(secure.status, 200, secure.text);
      assertTransactionShape(secure);
      assert.equal(secure.body.data.status, 'completed');
      assert.deepEqual(
        secure.body.data.payments.map((p: any) => p.status),
        ['captured'],
      );
      assert.equal(secure.body.data.payments[0].method_details.card.last4, '0446');
      assert.deepEqual(Object.keys(secure.body.data.payments[0].method_details), [
        'type',
        'card',
        'paypal',
        'south_korea_local_card',
        'underlying_details',
      ]);

      // Declined: the helper answers 200 with the failed attempt recorded; the transaction stays ready.
      const declinedTxn = await readyTransaction();
      const declined = await pay(declinedTxn.id, { card_number: '4000000000000002' });
      assert.equal(declined.status, 200, declined.text);
      assert.equal(declined.body.data.status, 'ready');
      assert.equal(declined.body.data.invoice_number, null);
      assertTransactionShape(declined);
      assert.deepEqual(
        declined.body.data.payments.map((p: any) => [p.status, p.error_code, p.captured_at]),
        [['error', 'declined', null]],
      );
      // As in Paddle's examples, a declined attempt names the card's payment method, but the card is not saved.
      const declinedMethod = declined.body.data.payments[0].payment_method_id;
      assert.match(declinedMethod, /^paymtd_[a-z\d]{26}$/);
      assert.match(declined.body.data.payments[0].stored_payment_method_id, /^[0-9a-f-]{36}$/);
      const none = await t()
        .db.selectFrom('payment_methods')
        .selectAll()
        .where('customer_id', '=', declinedTxn.customer_id)
        .execute();
      assert.deepEqual(none, [], 'a declined card is not saved');
      assertPaddleError(
        await t().request('GET', `/customers/${declinedTxn.customer_id}/payment-methods/${declinedMethod}`),
        404,
        'not_found',
      );
      // … and can still be paid afterwards; payments[] is newest first.
      const retried = await pay(declinedTxn.id);
      assert.equal(retried.body.data.status, 'completed');
      assert.deepEqual(
        retried.body.data.payments.map((p: any) => p.status),
        ['captured', 'error'],
      );

      const later = await pay((await readyTransaction()).id, { card_number: '4000002760003184' });
      assert.equal(later.body.data.status, 'completed');
      const laterMethod = await paymentMethodRow(later.body.data.payments[0].payment_method_id);
      assert.equal(laterMethod.later_charges, 'decline');
    });

    it('lists payments newest first when the sandbox clock stands still (attempts made at one instant)', async () => {
      const sellerId = `sel_frozen_payments_${dialect}`;
      const { sandbox: key } = await t().createSeller(sellerId);
      const frozen = await t().request('POST', '/test-helpers/clock/freeze', { key });
      assert.equal(frozen.status, 200, frozen.text);
      const txn = await readyTransaction(key);
      await pay(txn.id, { card_number: '4000000000000002' }, key);
      await pay(txn.id, { card_number: '4000000000000002' }, key);
      const paid = await pay(txn.id, {}, key);
      assert.equal(paid.body.data.status, 'completed');
      const read = await t().request('GET', `/transactions/${txn.id}`, { key });
      for (const payments of [paid.body.data.payments, read.body.data.payments]) {
        assert.deepEqual(
          payments.map((p: any) => p.status),
          ['captured', 'error', 'error'],
        );
        const instants = payments.map((p: any) => Temporal.Instant.from(p.created_at));
        const newestFirst = [...instants].sort((a, b) => Temporal.Instant.compare(b, a));
        assert.deepEqual(instants, newestFirst, 'newest first');
        assert.equal(new Set(instants.map(String)).size, 3, 'each at its own instant');
      }
    });

    it('records the events of a payment in Paddle order', async () => {
      const txn = await readyTransaction();
      const before = await lastEventId(t());
      await pay(txn.id);
      const events = await recordedEvents(t(), { after: before });
      assert.deepEqual(
        events.map((e) => e.type),
        [
          'payment_method.saved',
          'transaction.updated',
          'transaction.paid',
          'transaction.updated',
          'transaction.completed',
        ],
      );
      const paidEvent = events[2]!.data;
      assert.equal(paidEvent.status, 'paid');
      assert.equal(paidEvent.payments[0].status, 'captured');
      assert.equal(paidEvent.invoice_number, null);
      assert.equal(events[4]!.data.status, 'completed');

      const declinedTxn = await readyTransaction();
      const mark = await lastEventId(t());
      await pay(declinedTxn.id, { card_number: '4000000000000002' });
      const failed = await recordedEvents(t(), { after: mark });
      assert.deepEqual(
        failed.map((e) => e.type),
        ['transaction.updated', 'transaction.payment_failed'],
      );
      assert.equal(failed[1]!.data.payments[0].error_code, 'declined');
    });

    it('refuses what cannot be paid, and never pays twice', async () => {
      const price = await aPrice(t());
      const draft = await aTransaction(t(), { items: [{ price_id: price.id, quantity: 1 }] });
      assertPaddleError(await pay(draft.id), 400, 'transaction_status_must_be_ready');

      const txn = await readyTransaction();
      assert.equal((await pay(txn.id)).status, 200);
      const again = await pay(txn.id);
      assertPaddleError(again, 400, 'transaction_not_payable');
      const attempts = await t()
        .db.selectFrom('payment_attempts')
        .selectAll()
        .where('transaction_id', '=', txn.id)
        .execute();
      assert.equal(attempts.length, 1, 'no second payment attempt');

      const canceledTxn = await readyTransaction();
      const manual = await t().request('PATCH', `/transactions/${canceledTxn.id}`, {
        body: { collection_mode: 'manual', billing_details: { payment_terms: { interval: 'day', frequency: 7 } } },
      });
      assert.equal(manual.status, 200, manual.text);
      await t().request('PATCH', `/transactions/${canceledTxn.id}`, { body: { status: 'billed' } });
      await t().request('PATCH', `/transactions/${canceledTxn.id}`, { body: { status: 'canceled' } });
      assertPaddleError(await pay(canceledTxn.id), 400, 'transaction_not_payable');

      assertPaddleError(await pay('txn_01h8441jn5pcwrfhwh78jqt8hk'), 404, 'not_found');
    });

    it('captures once when the same transaction is paid many times at the same moment', async () => {
      const txn = await readyTransaction();
      const answers = await Promise.all(Array.from({ length: 5 }, () => pay(txn.id)));
      assert.equal(answers.filter((res) => res.status === 200).length, 1, answers.map((res) => res.status).join(','));
      const after = await t().request('GET', `/transactions/${txn.id}`);
      const captured = after.body.data.payments.filter((p: { status: string }) => p.status === 'captured');
      assert.equal(captured.length, 1);
      const methods = await t()
        .db.selectFrom('payment_methods')
        .selectAll()
        .where('customer_id', '=', after.body.data.customer_id)
        .execute();
      assert.equal(methods.length, 1, 'one card saved');
    });

    it('pays a billed manual invoice that has checkout enabled, keeping its invoice number', async () => {
      const price = await aPrice(t());
      const { customer, address } = await aBuyer(t(), 'GB');
      const txn = await aTransaction(t(), {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
        collection_mode: 'manual',
        billing_details: { enable_checkout: true, payment_terms: { interval: 'day', frequency: 14 } },
      });
      const billed = await t().request('PATCH', `/transactions/${txn.id}`, { body: { status: 'billed' } });
      assert.equal(billed.body.data.status, 'billed', billed.text);
      const res = await pay(txn.id);
      assertTransactionShape(res);
      assert.equal(res.body.data.status, 'completed');
      assert.equal(res.body.data.invoice_number, billed.body.data.invoice_number);
      assert.equal(res.body.data.billed_at, billed.body.data.billed_at);
      assert.equal(res.body.data.payments[0].status, 'captured');
    });

    it('validates the card number', async () => {
      const txn = await readyTransaction();
      const luhn = await pay(txn.id, { card_number: '4242424242424241' });
      assertPaddleError(luhn, 400, 'invalid_field');
      assert.equal(luhn.body.error.errors[0].field, 'card_number');
      const notString = await pay(txn.id, { card_number: 4242424242424242 });
      assertPaddleError(notString, 400, 'invalid_field');
      const extra = await pay(txn.id, { card_number: '4242424242424242', cvc: '100' });
      assertPaddleError(extra, 400, 'invalid_field');
      assert.equal(extra.body.error.errors[0].field, 'cvc');
      // A well-formed number that is not a sandbox test card is declined, like a real card in Paddle's sandbox.
      const unknown = await pay(txn.id, { card_number: '5555555555554444' });
      assert.equal(unknown.status, 200, unknown.text);
      assert.equal(unknown.body.data.status, 'ready');
      assert.equal(unknown.body.data.payments[0].error_code, 'declined');
      assert.equal(unknown.body.data.payments[0].method_details.card.type, 'mastercard');
    });

    it('is for sandbox keys only and keeps sellers apart', async () => {
      const txn = await readyTransaction();
      assertPaddleError(await pay(txn.id, {}, t().keys.live), 403, 'forbidden');
      const liveTxn = await readyTransaction(t().keys.live);
      assertPaddleError(await pay(liveTxn.id, {}, t().keys.live), 403, 'forbidden');
      assertPaddleError(await pay(liveTxn.id), 404, 'not_found');
      const other = await t().createSeller(`sel_pay_${dialect}`);
      assertPaddleError(await pay(txn.id, {}, other.sandbox), 404, 'not_found');
      assertPaddleError(
        await t().request('POST', `/test-helpers/transactions/${txn.id}/pay`, { key: null, body: {} }),
        403,
        'authentication_missing',
      );
      const attempts = await t()
        .db.selectFrom('payment_attempts')
        .selectAll()
        .where('transaction_id', 'in', [txn.id, liveTxn.id])
        .execute();
      assert.deepEqual(attempts, []);
    });
  });
});
