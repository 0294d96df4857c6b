// Pages kept by their parameters (fetchKeptPage): answered without building a query while nothing is written, and
// read anew after any write, by this connection or another. These tests fail if a kept page outlives a write, if
// two different parameters share a page, or if a page read inside a transaction is kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aCustomerRow } from '../../test/support/builders.js';
import { readsFromNow } from './change-token.js';
import { migrateToLatest, openDatabase, type Executor, type OpenDatabase } from './database.js';
import { fetchKeptPage, type PageRequest } from './pagination.js';
import { tenantRows } from './tenant-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-pagination-'));
const tenant = { seller_id: 'sel_pages', environment: 'sandbox' as const };
const firstPage: PageRequest = { perPage: 2, orderBy: { field: 'id', direction: 'ASC' } };

describe('fetchKeptPage on a shared SQLite file', () => {
  let first: OpenDatabase;
  let second: OpenDatabase;
  let builds = 0;

  /** The tenant's customers of `status`, counting how often the query is built. */
  const list = (db: Executor, status: string, page = firstPage) =>
    fetchKeptPage(
      db,
      'customers',
      [tenant.seller_id, tenant.environment, status],
      () => {
        builds += 1;
        return tenantRows(db, 'customers', tenant).where('status', '=', status);
      },
      page,
    );
  const ids = (page: { rows: Array<{ id: string }> }) => page.rows.map((row) => row.id);

  before(async () => {
    const url = `sqlite:${join(dir, 'pages.db')}`;
    first = openDatabase(url);
    second = openDatabase(url);
    await migrateToLatest(first.db);
    for (const id of ['ctm_a', 'ctm_b', 'ctm_c'])
      await first.db.insertInto('customers').values(aCustomerRow(tenant, id)).execute();
    await first.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_x', { status: 'archived' }))
      .execute();
  });
  after(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a kept page without building its query, and each parameter and page apart', async () => {
    builds = 0;
    const once = await list(first.db, 'active');
    assert.deepEqual(ids(once), ['ctm_a', 'ctm_b']);
    assert.equal(once.hasMore, true);
    assert.equal(once.estimatedTotal, 3);
    assert.equal(await list(first.db, 'active'), once);
    assert.equal(builds, 1, 'the kept page is answered before any query is built');
    assert.deepEqual(ids(await list(first.db, 'archived')), ['ctm_x']);
    assert.deepEqual(ids(await list(first.db, 'active', { ...firstPage, after: 'ctm_b' })), ['ctm_c']);
    assert.deepEqual(ids(await list(first.db, 'active', { ...firstPage, perPage: 1 })), ['ctm_a']);
    assert.equal(builds, 4);
  });

  it('reads anew after a write by this connection or another', async () => {
    assert.deepEqual(ids(await list(first.db, 'archived')), ['ctm_x']);
    await first.db.updateTable('customers').set({ status: 'archived' }).where('id', '=', 'ctm_a').execute();
    assert.deepEqual(ids(await list(first.db, 'archived')), ['ctm_a', 'ctm_x']);
    await second.db.updateTable('customers').set({ status: 'active' }).where('id', '=', 'ctm_a').execute();
    readsFromNow(first.db);
    assert.deepEqual(ids(await list(first.db, 'archived')), ['ctm_x']);
  });

  it('keeps nothing read inside a transaction', async () => {
    await first.db.transaction().execute(async (trx) => {
      builds = 0;
      await list(trx, 'active');
      await list(trx, 'active');
      assert.equal(builds, 2);
    });
  });
});
