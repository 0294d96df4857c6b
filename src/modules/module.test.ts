import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, useTestApp, type TestApp } from '../../test/support/app.js';
import { aBuyer, aPrice, aTransaction } from '../../test/support/builders.js';
import { buildApp } from '../app.js';
import type { Ctx } from '../context.js';
import { OffsetClock } from '../kernel/clock.js';
import { MODULES } from './index.js';
import { wire, type PaddockModule, type TransactionReaction } from './module.js';
import { DEFAULT_SELLER_ID, portalOfTenant } from './sellers/service.js';
import { payAsCustomer } from './test-helpers/pay.js';

const SANDBOX = { seller_id: DEFAULT_SELLER_ID, environment: 'sandbox' as const };

/** Every module as it is, with each transaction reaction counting its runs before it does its work. */
function countingModules(counts: Map<string, number>): PaddockModule[] {
  const counted = (name: string, react: TransactionReaction): TransactionReaction => {
    counts.set(name, 0);
    return (ctx, row, paid) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return react(ctx, row, paid);
    };
  };
  return MODULES.map((module) => {
    const reactions = module.reactions;
    if (!reactions) return module;
    return {
      ...module,
      reactions: {
        ...reactions,
        transactionPaid: reactions.transactionPaid?.map((react, i) => counted(`${module.name}.paid.${i}`, react)),
        manualTransactionBilled: reactions.manualTransactionBilled?.map((react, i) =>
          counted(`${module.name}.billed.${i}`, react),
        ),
      },
    };
  });
}

async function monthlyTransaction(t: TestApp) {
  const price = await aPrice(t, {
    unit_price: { amount: '1200', currency_code: 'USD' },
    billing_cycle: { interval: 'month', frequency: 1 },
  });
  const { customer, address } = await aBuyer(t, 'US');
  return aTransaction(t, {
    items: [{ price_id: price.id, quantity: 1 }],
    customer_id: customer.id,
    address_id: address.id,
  });
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('modules wire themselves once', () => {
    it('runs each reaction once per payment, however many apps the process built', async () => {
      const counts = new Map<string, number>();
      const modules = countingModules(counts);
      const options = { db: t().db, dialect: t().dialect, config: t().config, wallClock: t().clock, modules };
      const apps = [await buildApp(options), await buildApp(options), await buildApp(options)];
      try {
        assert.ok(counts.size >= 2, 'the subscriptions module reacts to paid transactions');
        const txn = await monthlyTransaction(t());
        const paid = await apps[2]!.inject({
          method: 'POST',
          url: `/test-helpers/transactions/${txn.id}/pay`,
          headers: { authorization: `Bearer ${t().keys.sandbox}`, 'content-type': 'application/json' },
          payload: '{}',
        });
        assert.equal(paid.statusCode, 200, paid.body);
        const paidReactions = [...counts].filter(([name]) => name.includes('.paid.'));
        assert.deepEqual(
          paidReactions.map(([, runs]) => runs),
          paidReactions.map(() => 1),
          `each paid reaction ran once: ${JSON.stringify(paidReactions)}`,
        );
        const subscriptions = await t().request('GET', `/subscriptions?customer_id=${txn.customer_id}`);
        assert.equal(subscriptions.body.data.length, 1, 'one subscription for the payment');
      } finally {
        await Promise.all(apps.map((app) => app.close()));
      }
    });

    it('creates the subscription when a transaction is paid by code that never built the HTTP app', async () => {
      const txn = await monthlyTransaction(t());
      // A use case run as the scheduler or the CLI runs it: a Ctx wired from the module list, no Fastify.
      const ctx: Ctx = {
        db: t().db,
        dialect: t().dialect,
        clock: new OffsetClock(t().clock, 0n),
        tenant: SANDBOX,
        config: t().config,
        wiring: wire(MODULES),
      };
      const portal = await portalOfTenant(t().db, SANDBOX);
      const paid = await payAsCustomer(ctx, portal, txn.id, {});
      assert.equal(paid.status, 'completed');
      assert.match(String(paid.subscription_id), /^sub_/, 'the paid transaction names its new subscription');
      const subscription = await t().request('GET', `/subscriptions/${paid.subscription_id}`);
      assert.equal(subscription.status, 200);
      assert.equal(subscription.body.data.status, 'active');
    });

    it('refuses a module listed twice, which would react twice', () => {
      assert.throws(() => wire([...MODULES, MODULES[0]!]), /listed twice/);
    });
  });
});
