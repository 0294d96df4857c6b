// The billing engine as users run it (issue #10): two servers on one SQLite file answer concurrent writes without
// `database is locked`, and a server stopped with SIGTERM in the middle of a long clock advance stops within
// seconds, leaves everything consistent, and the advance is resumed when a server starts again on the file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-engine-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Running = RunningServer;

function start(env: Record<string, string>): Promise<Running> {
  return startServer({ LOG_LEVEL: 'warn', ...env });
}

/** Sends SIGTERM; answers the exit code and how long the process took to exit (ms). */
function stop(running: Running): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    running.child.removeAllListeners('exit');
    running.child.on('exit', (code) => resolve({ code, ms: performance.now() - started }));
    running.child.kill('SIGTERM');
  });
}

function client(running: Running, key: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(running.url + path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as { data: Record<string, unknown> & { id: string } } };
  };
}

const keyOf = (running: Running) => /sandbox API key: (\S+)/.exec(running.lines.join('\n'))![1]!;

describe('the engine as users run it', () => {
  it('two servers on one SQLite file answer 200 concurrent creates without an error', async () => {
    const database = `sqlite:${join(dir, 'two.db')}`;
    const first = await start({ DATABASE_URL: database });
    const second = await start({ DATABASE_URL: database });
    try {
      const key = keyOf(first);
      const calls = [client(first, key), client(second, key)];
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => calls[i % 2]!('POST', '/customers', { email: `two-${i}@example.com` })),
      );
      const failed = answers.filter((answer) => answer.status !== 201);
      assert.deepEqual(
        failed.map((answer) => answer.text),
        [],
      );
    } finally {
      await stop(first);
      await stop(second);
    }
  });

  it('SIGTERM during a long advance stops within seconds; a new server resumes it to the end', async () => {
    const database = `sqlite:${join(dir, 'advance.db')}`;
    const env = { DATABASE_URL: database, PADDOCK_SCHEDULER_INTERVAL_MS: '200' };
    const first = await start(env);
    const key = keyOf(first);
    const call = client(first, key);
    const product = await call('POST', '/products', { name: 'Daily', tax_category: 'standard' });
    const price = await call('POST', '/prices', {
      product_id: product.body.data.id,
      description: 'Daily',
      unit_price: { amount: '100', currency_code: 'USD' },
      billing_cycle: { interval: 'day', frequency: 1 },
    });
    assert.equal(price.status, 201, price.text);
    const subscriptions: string[] = [];
    for (let i = 0; i < 5; i++) {
      const customer = await call('POST', '/customers', { email: `daily-${i}@example.com` });
      const address = await call('POST', `/customers/${customer.body.data.id}/addresses`, {
        country_code: 'US',
        postal_code: '10001',
      });
      const txn = await call('POST', '/transactions', {
        items: [{ price_id: price.body.data.id, quantity: 1 }],
        customer_id: customer.body.data.id,
        address_id: address.body.data.id,
      });
      const paid = await call('POST', `/test-helpers/transactions/${txn.body.data.id}/pay`, {});
      assert.equal(paid.status, 200, paid.text);
      subscriptions.push(paid.body.data.subscription_id as string);
    }
    const started = await call('POST', '/test-helpers/clock/advance', { by: 'P1Y', wait: false });
    assert.equal(started.status, 202, started.text);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = await stop(first);
    assert.equal(stopped.code, 0);
    assert.ok(stopped.ms < 5000, `stopped ${stopped.ms} ms after SIGTERM`);

    const second = await start(env);
    try {
      const again = client(second, key);
      let clock = (await again('GET', '/test-helpers/clock')).body.data;
      for (let i = 0; i < 1200 && clock.status !== 'ready'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        clock = (await again('GET', '/test-helpers/clock')).body.data;
      }
      assert.equal(clock.status, 'ready', JSON.stringify(clock));
      for (const id of subscriptions) {
        const subscription = (await again('GET', `/subscriptions/${id}`)).body.data as unknown as {
          started_at: string;
          current_billing_period: { starts_at: string };
        };
        const days = Math.round(
          (Date.parse(subscription.current_billing_period.starts_at) - Date.parse(subscription.started_at)) /
            86_400_000,
        );
        assert.ok(days >= 365, `${id}: renewed through the year (${days} days)`);
        const renewals = await again('GET', `/transactions?subscription_id=${id}&origin=subscription_recurring`);
        const meta = (renewals.body as unknown as { meta: { pagination: { estimated_total: number } } }).meta;
        assert.equal(meta.pagination.estimated_total, days, `${id}: one renewal a day, none twice or missing`);
      }
    } finally {
      await stop(second);
    }
  });
});
