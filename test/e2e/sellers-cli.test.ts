// `paddock sellers create|list|delete` and `paddock seed <file>` as users run them, on an SQLite file the server
// would use.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { authenticateKey } from '../../src/modules/api-keys/service.js';

const BIN = new URL('../../bin/paddock.mjs', import.meta.url).pathname;
const SEED_YAML = `
products:
  pro: { name: AeroEdit Pro, tax_category: standard }
prices:
  pro_monthly:
    product: pro
    description: Pro monthly
    unit_price: { amount: "1000", currency_code: USD }
    billing_cycle: { interval: month, frequency: 1 }
customers:
  alice:
    email: alice@example.com
    address: { country_code: US, postal_code: "10001" }
subscriptions:
  alice_pro:
    customer: alice
    items: [{ price: pro_monthly, quantity: 2 }]
    card: "4000 0566 5566 5556"
`;

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

  it('seeds a seller’s sandbox from a YAML file, printing ids under the file’s names; a bad file makes nothing', async () => {
    const seller = JSON.parse(paddock('sellers', 'create', '--name', 'seeded').stdout);
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, SEED_YAML);
    const seeded = paddock('seed', file, '--seller', seller.id);
    assert.equal(seeded.status, 0, seeded.stderr);
    const ids = JSON.parse(seeded.stdout);
    assert.match(ids.products.pro, /^pro_/);
    assert.match(ids.subscriptions.alice_pro, /^sub_/);

    const open = openDatabase(`sqlite:${database}`);
    try {
      const sub = await open.db
        .selectFrom('subscriptions')
        .selectAll()
        .where('id', '=', ids.subscriptions.alice_pro)
        .executeTakeFirstOrThrow();
      assert.equal(sub.seller_id, seller.id);
      assert.equal(sub.customer_id, ids.customers.alice);
      assert.equal(sub.status, 'active');
    } finally {
      await open.close();
    }

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ products: { a: { name: 'A', tax_category: 'standard' }, b: { name: '' } } }));
    const refused = paddock('seed', bad, '--seller', seller.id);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /products\.b\./);
  });
});
