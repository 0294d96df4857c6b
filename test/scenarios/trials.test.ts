// Paid and cardless trials (issue 9, item 3): a price's `trial_period.requires_payment_method`, `unit_price` and
// `unit_price_overrides` are stored and always returned (Paddle's defaults when left out), checked, and applied: a
// paid trial charges its own price at checkout and for the trial, then the full price; a cardless trial starts from
// an API transaction without a payment, waits for a payment method, and is canceled when it ends without one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { forEachDialect, useTestApp } from '../support/app.js';
import { aBuyer, aTransaction, MONTHLY } from '../support/builders.js';
import { assertMatchesSpec, assertPaddleError } from '../support/contract.js';
import { instant, kit, sellerAt } from '../support/subscriptions.js';

const JUNE = '2031-06-01T00:00:00Z';
const TWO_WEEKS = { interval: 'day', frequency: 14 };
const PAID_TRIAL = {
  ...TWO_WEEKS,
  requires_payment_method: true,
  unit_price: { amount: '100', currency_code: 'USD' },
  unit_price_overrides: [{ country_codes: ['GB'], unit_price: { amount: '90', currency_code: 'GBP' } }],
};
const CARDLESS_TRIAL = { ...TWO_WEEKS, requires_payment_method: false };

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function setup() {
    const { key, sellerId } = await sellerAt(t(), JUNE);
    return { key, sellerId, k: kit(t, key) };
  }

  describe('trial fields on prices', () => {
    it('a trial left as interval and frequency gets Paddle defaults: a payment method required, free', async () => {
      const { k } = await setup();
      const price = await k.price(1000, { trial_period: TWO_WEEKS });
      assert.deepEqual(price.trial_period, {
        ...TWO_WEEKS,
        requires_payment_method: true,
        unit_price: null,
        unit_price_overrides: [],
      });
      const got = await k.request('GET', `/prices/${price.id}`);
      assertMatchesSpec('get-price', got);
      assert.deepEqual(got.body.data.trial_period, price.trial_period);
    });

    it('stores a paid trial whole, returns it on get, list and the SDK, and a PATCH replaces it', async () => {
      const { k, key } = await setup();
      const price = await k.price(1000, {
        unit_price_overrides: [{ country_codes: ['GB'], unit_price: { amount: '900', currency_code: 'GBP' } }],
        trial_period: { ...PAID_TRIAL, unit_price: { amount: '0100', currency_code: 'USD' } },
      });
      assert.deepEqual(price.trial_period, PAID_TRIAL, 'amounts are canonical: leading zeros dropped');
      const listed = await k.request('GET', `/prices?id=${price.id}`);
      assertMatchesSpec('list-prices', listed);
      assert.deepEqual(listed.body.data[0].trial_period, PAID_TRIAL);

      const paddle = new Paddle(key, { environment: t().baseUrl as never });
      const viaSdk = await paddle.prices.get(price.id);
      assert.equal(viaSdk.trialPeriod?.requiresPaymentMethod, true);

      const patched = await k.request('PATCH', `/prices/${price.id}`, { trial_period: CARDLESS_TRIAL });
      assertMatchesSpec('update-price', patched);
      assert.deepEqual(patched.body.data.trial_period, {
        ...CARDLESS_TRIAL,
        unit_price: null,
        unit_price_overrides: [],
      });
    });

    it('refuses a paid trial that does not require a payment method, and changes nothing', async () => {
      const { k } = await setup();
      const price = await k.price(1000, { trial_period: TWO_WEEKS });
      const refused = await k.request('PATCH', `/prices/${price.id}`, {
        trial_period: { ...PAID_TRIAL, requires_payment_method: false },
      });
      assertPaddleError(refused, 400, 'trial_is_either_paid_or_cardless');
      const after = await k.request('GET', `/prices/${price.id}`);
      assert.deepEqual(after.body.data.trial_period, price.trial_period);
      assert.equal(after.body.data.updated_at, price.updated_at);
    });

    it('refuses malformed trial fields with invalid_field naming each one', async () => {
      const { k } = await setup();
      const res = await k.request('POST', '/prices', {
        product_id: (await k.price(1)).product_id,
        description: 'bad trial',
        unit_price: { amount: '1000', currency_code: 'USD' },
        billing_cycle: MONTHLY,
        trial_period: {
          ...TWO_WEEKS,
          requires_payment_method: 'yes',
          unit_price: { amount: '1.50', currency_code: 'USD' },
          unit_price_overrides: [{ country_codes: [], unit_price: { amount: '1', currency_code: 'XXX' } }],
        },
      });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(
        res.body.error.errors.map((e: { field: string }) => e.field),
        [
          'trial_period.requires_payment_method',
          'trial_period.unit_price.amount',
          'trial_period.unit_price_overrides[0].country_codes',
        ],
      );
    });

    it("refuses a trial price in another currency than the price's, and one country in two trial overrides", async () => {
      const { k } = await setup();
      const euro = await k.request('POST', '/prices', {
        product_id: (await k.price(1)).product_id,
        description: 'trial in EUR',
        unit_price: { amount: '1000', currency_code: 'USD' },
        billing_cycle: MONTHLY,
        trial_period: { ...TWO_WEEKS, unit_price: { amount: '100', currency_code: 'EUR' } },
      });
      assertPaddleError(euro, 400, 'invalid_field');
      assert.equal(euro.body.error.errors[0].field, 'trial_period.unit_price.currency_code');

      const twice = await k.request('POST', '/prices', {
        product_id: (await k.price(2)).product_id,
        description: 'GB twice',
        unit_price: { amount: '1000', currency_code: 'USD' },
        billing_cycle: MONTHLY,
        trial_period: {
          ...PAID_TRIAL,
          unit_price_overrides: [
            { country_codes: ['GB'], unit_price: { amount: '90', currency_code: 'GBP' } },
            { country_codes: ['FR', 'GB'], unit_price: { amount: '95', currency_code: 'EUR' } },
          ],
        },
      });
      assertPaddleError(twice, 400, 'price_duplicate_currency_override_for_country');
    });
  });

  describe('paid trials', () => {
    it('charge the trial price at checkout for the trial period, then the full price from its end', async () => {
      const { k } = await setup();
      const price = await k.price(1000, { trial_period: PAID_TRIAL });
      const { sub, first } = await k.subscribe([{ price, quantity: 2 }]);
      assert.equal(sub.status, 'trialing');
      assert.equal(first.details.totals.grand_total, '200', 'two seats at the $1.00 trial price (US: no tax)');
      assert.equal(first.details.line_items[0].unit_totals.subtotal, '100');
      assert.deepEqual(first.billing_period, sub.current_billing_period, 'the checkout paid for the trial');
      assert.ok(instant(sub.next_billed_at).equals(instant(sub.started_at).add({ hours: 14 * 24 })));

      await k.advance({ to: sub.next_billed_at });
      const renewed = await k.get(sub.id);
      assert.equal(renewed.status, 'active');
      const [, firstPaid] = await k.transactions(sub.id);
      assert.equal(firstPaid.origin, 'subscription_recurring');
      assert.equal(firstPaid.details.totals.grand_total, '2000', 'the first paid period at the full price');
    });

    it("charge the trial's override in the buyer's country", async () => {
      const { k } = await setup();
      const price = await k.price(1000, {
        unit_price_overrides: [{ country_codes: ['GB'], unit_price: { amount: '900', currency_code: 'GBP' } }],
        trial_period: PAID_TRIAL,
      });
      const { first } = await k.subscribe([{ price, quantity: 1 }], { country: 'GB' });
      assert.equal(first.currency_code, 'GBP');
      assert.equal(first.details.line_items[0].unit_totals.subtotal, '90', "the trial's £0.90 GB override");
      assert.equal(first.details.totals.total, '108', 'with 20% UK VAT on top');
    });

    it('a transaction preview shows the trial price unless ignore_trials', async () => {
      const { k } = await setup();
      const price = await k.price(1000, { trial_period: PAID_TRIAL });
      const body = { items: [{ price_id: price.id, quantity: 1 }], address: { country_code: 'US' } };
      const preview = await k.request('POST', '/transactions/preview', body);
      assertMatchesSpec('preview-transaction-create', preview);
      assert.equal(preview.body.data.details.totals.subtotal, '100');
      const ignoring = await k.request('POST', '/transactions/preview', { ...body, ignore_trials: true });
      assert.equal(ignoring.body.data.details.totals.subtotal, '1000');
    });
  });

  describe('cardless trials', () => {
    async function cardless(k: ReturnType<typeof kit>, key: string) {
      const price = await k.price(1000, { trial_period: CARDLESS_TRIAL });
      const buyer = await aBuyer(t(), 'US', key);
      const txn = await aTransaction(
        t(),
        { items: [{ price_id: price.id, quantity: 1 }], customer_id: buyer.customer.id, address_id: buyer.address.id },
        key,
      );
      return { price, buyer, txn };
    }

    it('start from an API transaction without a payment: completed, and the subscription trials', async () => {
      const { k, key } = await setup();
      const { txn } = await cardless(k, key);
      assert.equal(txn.status, 'completed');
      assert.deepEqual(txn.payments, [], 'nothing was charged');
      assert.ok(txn.subscription_id);
      const sub = await k.get(txn.subscription_id);
      assert.equal(sub.status, 'trialing');
      assert.deepEqual(await k.eventsFor(txn.id, sub.id), [
        'transaction.created',
        'transaction.ready',
        'transaction.updated',
        'transaction.paid',
        'subscription.created',
        'subscription.trialing',
        'transaction.updated',
        'transaction.updated',
        'transaction.completed',
      ]);
    });

    it('a transaction mixing a cardless trial with a price that needs a payment waits for checkout', async () => {
      const { k, key } = await setup();
      const free = await k.price(1000, { trial_period: CARDLESS_TRIAL });
      const paid = await k.price(500);
      const buyer = await aBuyer(t(), 'US', key);
      const txn = await aTransaction(
        t(),
        {
          items: [
            { price_id: free.id, quantity: 1 },
            { price_id: paid.id, quantity: 1 },
          ],
          customer_id: buyer.customer.id,
          address_id: buyer.address.id,
        },
        key,
      );
      assert.equal(txn.status, 'ready');
      assert.equal(txn.subscription_id, null);
    });

    it('refuse pausing, scheduled cancels, one-off charges, activation and card-required prices', async () => {
      const { k, key } = await setup();
      const { txn } = await cardless(k, key);
      const id = txn.subscription_id as string;
      const before = await k.get(id);
      const oneTime = await k.oneTime(500);
      const cardRequired = await k.price(700, { trial_period: TWO_WEEKS });
      const refusals: Array<[string, string, unknown, string]> = [
        ['POST', `/subscriptions/${id}/pause`, {}, 'subscription_pausing_not_allowed_for_cardless_trial'],
        ['POST', `/subscriptions/${id}/cancel`, {}, 'subscription_scheduled_change_not_allowed_for_cardless_trial'],
        [
          'POST',
          `/subscriptions/${id}/charge`,
          { effective_from: 'immediately', items: [{ price_id: oneTime.id, quantity: 1 }] },
          'subscription_one_off_charges_not_allowed_on_cardless_trial',
        ],
        ['POST', `/subscriptions/${id}/activate`, undefined, 'subscription_missing_payment_method_cannot_activate'],
        [
          'PATCH',
          `/subscriptions/${id}`,
          {
            items: [
              { price_id: before.items[0].price.id, quantity: 1 },
              { price_id: cardRequired.id, quantity: 1 },
            ],
            proration_billing_mode: 'do_not_bill',
          },
          'subscription_price_requires_payment_method_on_cardless_trial',
        ],
      ];
      for (const [method, url, body, code] of refusals) {
        assertPaddleError(await k.request(method, url, body), 400, code);
      }
      const withoutLinks = ({ management_urls: _links, ...rest }: Record<string, unknown>) => rest;
      assert.deepEqual(withoutLinks(await k.get(id)), withoutLinks(before), 'nothing changed');
      const canceled = await k.request('POST', `/subscriptions/${id}/cancel`, { effective_from: 'immediately' });
      assert.equal(canceled.status, 200, canceled.text);
      assert.equal(canceled.body.data.status, 'canceled');
    });

    it('take a payment method through the update-payment-method transaction, then renew at the trial end', async () => {
      const { k, key } = await setup();
      const { txn } = await cardless(k, key);
      const id = txn.subscription_id as string;
      const change = await k.request('GET', `/subscriptions/${id}/update-payment-method-transaction`);
      assertMatchesSpec('get-subscription-update-payment-method-transaction', change);
      const paid = await k.request('POST', `/test-helpers/transactions/${change.body.data.id}/pay`, {});
      assert.equal(paid.status, 200, paid.text);
      const paused = await k.request('POST', `/subscriptions/${id}/pause`, {});
      assert.equal(paused.status, 200, 'with a payment method the cardless trial is an ordinary trial');
      await k.request('PATCH', `/subscriptions/${id}`, { scheduled_change: null });
      const trialEnd = (await k.get(id)).next_billed_at;
      await k.advance({ to: trialEnd });
      const renewed = await k.get(id);
      assert.equal(renewed.status, 'active');
      const recurring = await k.transactions(id, 'subscription_recurring');
      assert.equal(recurring.length, 1);
      assert.equal(recurring[0].status, 'completed');
      assert.equal(recurring[0].details.totals.grand_total, '1000');
    });

    it('end canceled at the trial end when no payment method was added, with nothing billed', async () => {
      const { k, key } = await setup();
      const { txn } = await cardless(k, key);
      const sub = await k.get(txn.subscription_id);
      await k.advance({ by: 'P15D' });
      const ended = await k.get(sub.id);
      assert.equal(ended.status, 'canceled');
      assert.equal(ended.canceled_at, sub.next_billed_at, 'canceled at its own instant: the trial end');
      assert.equal((await k.transactions(sub.id)).length, 1, 'no renewal transaction');
    });
  });
});
