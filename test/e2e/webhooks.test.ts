// Webhook delivery across processes, as users run Paddock: the server killed with SIGKILL in the middle of
// deliveries and started again on the same database delivers everything, and re-sends only what was in flight at
// the kill; two servers on one PostgreSQL share the work and deliver each notification once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { dropPostgresSchema, newPostgresSchema, POSTGRES_URL, testDialects } from '../support/app.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../support/webhooks.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-webhooks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A sandbox key in Paddle's format, configured so every process of a test shares it. */
const SANDBOX_KEY = 'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO';

type Running = RunningServer;

function start(env: Record<string, string>): Promise<Running> {
  return startServer({ PADDOCK_SANDBOX_API_KEY: SANDBOX_KEY, PADDOCK_WEBHOOK_POLL_MS: '20', ...env }, 30_000);
}

async function api(running: Running, method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${running.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${SANDBOX_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as { data: Array<{ id: string }> } };
}

async function until<T>(what: () => Promise<T | undefined>, description: string, tries = 1200): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await what();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${description}`);
}

function idsOf(receiver: Receiver): string[] {
  return receiver.received.map((request) => JSON.parse(request.body).notification_id as string);
}

async function subscribe(running: Running, url: string): Promise<void> {
  const res = await api(running, 'POST', '/notification-settings', {
    description: 'e2e',
    type: 'url',
    destination: url,
    subscribed_events: ['customer.created'],
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

describe('webhooks across processes', () => {
  it('SIGKILL during deliveries, then a restart: everything delivered, only what was in flight sent twice', async () => {
    const database = join(dir, 'crash.db');
    // The receiver answers after 200 ms, so deliveries are in flight when the kill comes.
    const delayed = await startReceiver(() => 200, { delayMs: 200 });
    try {
      const env = { DATABASE_URL: `sqlite:${database}`, PADDOCK_WEBHOOK_LEASE_MS: '6000' };
      const first = await start(env);
      await subscribe(first, delayed.url);
      const total = 40;
      for (let i = 0; i < total; i += 1) {
        const res = await api(first, 'POST', '/customers', { email: `kill${i}@example.com` });
        assert.equal(res.status, 201);
      }
      await until(async () => (delayed.received.length >= 10 ? true : undefined), 'ten deliveries before the kill');
      first.child.kill('SIGKILL');
      await first.exited;
      const file = new Database(database, { readonly: true });
      const rows = file.prepare('select id, status from notifications').all() as Array<{ id: string; status: string }>;
      file.close();
      assert.equal(rows.length, total, 'every notification was made with its event');
      const deliveredBefore = new Set(rows.filter((row) => row.status === 'delivered').map((row) => row.id));
      const receivedBefore = idsOf(delayed).length;
      assert.ok(deliveredBefore.size < total, 'the kill came in the middle');

      const second = await start(env);
      try {
        await until(async () => {
          const res = await api(second, 'GET', '/notifications?status=delivered&per_page=200');
          return res.body.data.length === total ? true : undefined;
        }, 'every notification delivered after the restart');
        const received = idsOf(delayed);
        const counts = new Map<string, number>();
        for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
        assert.deepEqual(new Set(counts.keys()), new Set(rows.map((row) => row.id)), 'every notification arrived');
        const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
        for (const id of twice) assert.ok(!deliveredBefore.has(id), `${id} was recorded delivered, yet sent again`);
        assert.ok(
          twice.length <= receivedBefore - deliveredBefore.size + 8,
          'only attempts in flight at the kill repeat',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await delayed.close();
    }
  });

  it('two servers on one PostgreSQL deliver each notification once', async (context) => {
    if (!(await testDialects()).includes('postgres')) return context.skip('PostgreSQL does not answer');
    const schema = await newPostgresSchema();
    const receiver = await startReceiver(() => 200);
    try {
      const url = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const a = await start({ DATABASE_URL: url });
      const b = await start({ DATABASE_URL: url });
      try {
        await subscribe(a, receiver.url);
        const total = 100;
        await Promise.all(
          Array.from({ length: total }, (_, i) =>
            api(i % 2 ? a : b, 'POST', '/customers', { email: `pg${i}@example.com` }),
          ),
        );
        await until(async () => (receiver.received.length >= total ? true : undefined), 'every delivery');
        await new Promise((resolve) => setTimeout(resolve, 300));
        const ids = idsOf(receiver);
        assert.equal(ids.length, total, 'nothing sent twice');
        assert.equal(new Set(ids).size, total);
        await until(async () => {
          const delivered = await api(b, 'GET', '/notifications?status=delivered&per_page=200');
          return delivered.body.data.length === total ? true : undefined;
        }, 'every attempt recorded as delivered');
        assert.equal(idsOf(receiver).length, total, 'and still nothing sent twice');
      } finally {
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        await Promise.all([a.exited, b.exited]);
      }
    } finally {
      await receiver.close();
      await dropPostgresSchema(schema);
    }
  });
});
