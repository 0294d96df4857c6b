// The server as users start it: `node bin/paddock.mjs serve` (what `npm start` and `npx paddock` run).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { PADDOCK_BIN as BIN, startServer, type RunningServer } from '../support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Running = RunningServer;

function start(env: Record<string, string>): Promise<Running> {
  return startServer(env);
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.removeAllListeners('exit');
    running.child.on('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

describe('paddock serve', () => {
  it('prints what a user needs, serves the API and the SDK, and stops cleanly on SIGTERM', async () => {
    const database = join(dir, 'first.db');
    const running = await start({ DATABASE_URL: `sqlite:${database}` });
    const text = running.lines.join('\n');
    assert.match(text, new RegExp(`API base URL: http://localhost:${running.port}`));
    assert.match(text, new RegExp(`Sandbox customer portal: http://localhost:${running.port}/sandbox-customer-portal`));
    assert.match(text, new RegExp(`Live customer portal: http://localhost:${running.port}/customer-portal`));
    const sandboxKey = /sandbox API key: (pdl_sdbx_apikey_[a-z\d]{26}_[a-zA-Z\d]{22}_[a-zA-Z\d]{3}) /.exec(text)?.[1];
    assert.ok(sandboxKey, text);
    assert.match(text, /live API key: pdl_live_apikey_[a-z\d]{26}_[a-zA-Z\d]{22}_[a-zA-Z\d]{3} /);

    const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const paddle = new Paddle(sandboxKey, { environment: `http://localhost:${running.port}` as never });
    const customer = await paddle.customers.create({ email: 'e2e@example.com' });
    assert.match(customer.id, /^ctm_/);
    assert.equal(await stop(running), 0);

    // Second start on the same file: data kept, the key is not generated (nor printed) again.
    const again = await start({ DATABASE_URL: `sqlite:${database}` });
    assert.match(again.lines.join('\n'), /sandbox API key: generated on an earlier start/);
    const kept = await fetch(`http://127.0.0.1:${again.port}/customers/${customer.id}`, {
      headers: { authorization: `Bearer ${sandboxKey}` },
    });
    assert.equal(kept.status, 200);
    assert.equal(await stop(again), 0);
  });

  it('uses configured keys and public URL', async () => {
    const sandboxKey = 'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO';
    const running = await start({
      DATABASE_URL: 'sqlite::memory:',
      PADDOCK_SANDBOX_API_KEY: sandboxKey,
      PADDOCK_PUBLIC_URL: 'https://billing.example.test',
    });
    const text = running.lines.join('\n');
    assert.match(text, /sandbox API key: from PADDOCK_SANDBOX_API_KEY/);
    assert.match(text, /Sandbox customer portal: https:\/\/billing\.example\.test\/sandbox-customer-portal/);
    const list = await fetch(`http://127.0.0.1:${running.port}/customers`, {
      headers: { authorization: `Bearer ${sandboxKey}` },
    });
    const body = (await list.json()) as { meta: { pagination: { next: string } } };
    assert.match(body.meta.pagination.next, /^https:\/\/billing\.example\.test\/customers/);
    assert.equal(await stop(running), 0);
  });
});

describe('paddock keys create', () => {
  it('creates a key with the chosen permissions that the server then honours', async () => {
    const database = join(dir, 'keys.db');
    const created = spawnSync(
      process.execPath,
      [BIN, 'keys', 'create', '--environment', 'sandbox', '--permissions', 'customer.read'],
      { env: { ...process.env, DATABASE_URL: `sqlite:${database}` }, encoding: 'utf8' },
    );
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^pdl_sdbx_apikey_/);
    const refused = spawnSync(
      process.execPath,
      [BIN, 'keys', 'create', '--environment', 'sandbox', '--permissions', 'nope.read'],
      {
        env: { ...process.env, DATABASE_URL: `sqlite:${database}` },
        encoding: 'utf8',
      },
    );
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /unknown permissions: nope.read/);

    const running = await start({ DATABASE_URL: `sqlite:${database}` });
    const base = `http://127.0.0.1:${running.port}`;
    const read = await fetch(`${base}/customers`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(read.status, 200);
    const write = await fetch(`${base}/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nope@example.com' }),
    });
    assert.equal(write.status, 403);
    assert.equal(((await write.json()) as { error: { code: string } }).error.code, 'forbidden');

    const revoked = spawnSync(process.execPath, [BIN, 'keys', 'revoke', key], {
      env: { ...process.env, DATABASE_URL: `sqlite:${database}` },
      encoding: 'utf8',
    });
    assert.equal(revoked.status, 0, revoked.stderr);
    const after = await fetch(`${base}/customers`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(after.status, 403);
    assert.equal(((await after.json()) as { error: { code: string } }).error.code, 'invalid_token');
    assert.equal(await stop(running), 0);
  });
});
