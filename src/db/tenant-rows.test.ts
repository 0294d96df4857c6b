import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest, openDatabase, type OpenDatabase } from './database.js';
import type { CustomerRow, Tenant } from './tables.js';
import { tenantRows } from './tenant-rows.js';

const sandbox: Tenant = { seller_id: 'sel_a', environment: 'sandbox' };
const live: Tenant = { seller_id: 'sel_a', environment: 'live' };
const otherSeller: Tenant = { seller_id: 'sel_b', environment: 'sandbox' };

function customer(tenant: Tenant, id: string): CustomerRow {
  return {
    ...tenant,
    id,
    name: null,
    email: `${id}@example.com`,
    email_key: `${id}@example.com`,
    marketing_consent: 0n,
    status: 'active',
    custom_data: null,
    locale: 'en',
    import_meta: null,
    created_at: '2026-11-24T10:00:00.000000Z',
    updated_at: '2026-11-24T10:00:00.000000Z',
  };
}

describe('tenantRows', () => {
  let open: OpenDatabase;
  before(async () => {
    open = openDatabase('sqlite::memory:');
    await migrateToLatest(open.db);
    await open.db
      .insertInto('customers')
      .values([customer(sandbox, 'ctm_mine'), customer(live, 'ctm_live'), customer(otherSeller, 'ctm_theirs')])
      .execute();
  });
  after(() => open.close());

  it('reads only the rows of one seller in one environment', async () => {
    assert.deepEqual(
      (await tenantRows(open.db, 'customers', sandbox).execute()).map((row) => row.id),
      ['ctm_mine'],
    );
    assert.deepEqual(
      (await tenantRows(open.db, 'customers', live).execute()).map((row) => row.id),
      ['ctm_live'],
    );
    assert.deepEqual(
      (await tenantRows(open.db, 'customers', otherSeller).execute()).map((row) => row.id),
      ['ctm_theirs'],
    );
  });

  it('names its columns by table, so a join with another tenant table is not ambiguous', async () => {
    const rows = await tenantRows(open.db, 'customers', sandbox)
      .leftJoin('addresses', 'addresses.customer_id', 'customers.id')
      .select('addresses.id as address_id')
      .execute();
    assert.deepEqual(
      rows.map((row) => row.id),
      ['ctm_mine'],
    );
  });
});
