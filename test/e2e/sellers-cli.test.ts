// `paddock sellers create|list|delete` as users run them, on an SQLite file the server would use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { authenticateKey } from '../../src/modules/api-keys/service.js';

const BIN = new URL('../../bin/paddock.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'paddock-sellers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const database = join(dir, 'sellers.db');
function paddock(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATABASE_URL: `sqlite:${database}` },
    encoding: 'utf8',
  });
}

describe('paddock sellers', () => {
  it('creates a seller with its keys and frozen clock, lists it, deletes it, and never the default seller', async () => {
    const created = paddock(
      'sellers',
      'create',
      '--name',
      'CI suite',
      '--live',
      '--permissions',
      'product.read',
      '--frozen-at',
      '2026-01-01T00:00:00Z',
    );
    assert.equal(created.status, 0, created.stderr);
    const seller = JSON.parse(created.stdout);
    assert.match(seller.id, /^sel_[a-z\d]{26}$/);
    assert.deepEqual(seller.sandbox.permissions, ['product.read']);
    assert.deepEqual(seller.sandbox.clock, { now: '2026-01-01T00:00:00Z', frozen: true });
    assert.match(seller.live.api_key, /^pdl_live_apikey_/);

    const open = openDatabase(`sqlite:${database}`);
    try {
      const holder = await authenticateKey(open.db, seller.sandbox.api_key, () => '2026-01-01T00:00:00.000000Z');
      assert.deepEqual(holder?.tenant, { seller_id: seller.id, environment: 'sandbox' });
      assert.equal(holder?.clockFrozenAt, '2026-01-01T00:00:00.000000Z');
    } finally {
      await open.close();
    }

    const listed = paddock('sellers', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    assert.deepEqual(
      lines.map(([id, environments]) => [id, environments]),
      [
        ['sel_default', 'sandbox,live'],
        [seller.id, 'sandbox,live'],
      ],
    );

    const bad = paddock('sellers', 'create', '--frozen-at', 'tomorrow');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /clock.frozen_at: must be an RFC 3339 date-time/);

    const deleted = paddock('sellers', 'delete', seller.id);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.match(deleted.stderr, new RegExp(`deleted ${seller.id} \\(\\d+ rows\\)`));
    assert.equal(paddock('sellers', 'list').stdout.trim().split('\n').length, 1);
    const refused = paddock('sellers', 'delete', 'sel_default');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /sel_default not found/);
  });
});
