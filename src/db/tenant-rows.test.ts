import assert from 'node:assert/strict';
import { aCustomerRow } from '../../test/support/builders.js';
import { after, before, describe, it } from 'node:test';
import { migrateToLatest, openDatabase, type OpenDatabase } from './database.js';
import type { Tenant } from './tables.js';
import { tenantDelete, tenantQuery, tenantQueryWith, tenantRows, tenantUpdate } from './tenant-rows.js';

const sandbox: Tenant = { seller_id: 'sel_a', environment: 'sandbox' };
const live: Tenant = { seller_id: 'sel_a', environment: 'live' };
const otherSeller: Tenant = { seller_id: 'sel_b', environment: 'sandbox' };

describe('tenantRows', () => {
  let open: OpenDatabase;
  before(async () => {
    open = openDatabase('sqlite::memory:');
    await migrateToLatest(open.db);
    await open.db
      .insertInto('customers')
      .values([
        aCustomerRow(sandbox, 'ctm_mine'),
        aCustomerRow(live, 'ctm_live'),
        aCustomerRow(otherSeller, 'ctm_theirs'),
      ])
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

  it('tenantQuery compiles a query once and runs it for each tenant given', async () => {
    let builds = 0;
    const run = async (tenant: Tenant) => {
      const query = tenantQuery(open.db, 'tenant-rows test', tenant, (db, placeholder) => {
        builds += 1;
        return tenantRows(db, 'customers', placeholder).where('customers.status', '=', 'active');
      });
      return (await open.db.executeQuery(query)).rows.map((row) => row.id);
    };
    assert.deepEqual(await run(sandbox), ['ctm_mine']);
    assert.deepEqual(await run(live), ['ctm_live']);
    assert.deepEqual(await run(otherSeller), ['ctm_theirs']);
    assert.equal(builds, 1);
  });

  it("tenantQueryWith compiles a query once and runs it with each call's tenant and values", async () => {
    let builds = 0;
    const run = async (tenant: Tenant, ids: string[]) => {
      const query = tenantQueryWith(
        open.db,
        `tenant-rows test ×${ids.length}`,
        tenant,
        ids,
        (db, placeholder, values) => {
          builds += 1;
          return tenantRows(db, 'customers', placeholder).where('customers.id', 'in', values);
        },
      );
      return (await open.db.executeQuery(query)).rows.map((row) => row.id).sort();
    };
    assert.deepEqual(await run(sandbox, ['ctm_mine']), ['ctm_mine']);
    assert.deepEqual(await run(sandbox, ['ctm_live']), [], "another environment's row");
    assert.deepEqual(await run(live, ['ctm_live']), ['ctm_live']);
    assert.deepEqual(await run(otherSeller, ['ctm_mine']), [], "another seller's row");
    assert.equal(builds, 1);
    assert.deepEqual(await run(sandbox, ['ctm_mine', 'ctm_live']), ['ctm_mine'], 'two values: a query of its own');
    assert.equal(builds, 2);
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

  it('updates and deletes only the rows of one seller in one environment, whatever else the query names', async () => {
    await tenantUpdate(open.db, 'customers', sandbox).set({ name: 'Renamed' }).where('status', '=', 'active').execute();
    const names = await open.db.selectFrom('customers').select(['id', 'name']).orderBy('id').execute();
    assert.deepEqual(
      names.filter((row) => row.name === 'Renamed').map((row) => row.id),
      ['ctm_mine'],
    );

    const deleted = await tenantDelete(open.db, 'customers', live).executeTakeFirst();
    assert.equal(Number(deleted.numDeletedRows), 1);
    const left = await open.db.selectFrom('customers').select('id').orderBy('id').execute();
    assert.deepEqual(
      left.map((row) => row.id),
      ['ctm_mine', 'ctm_theirs'],
    );
  });
});
