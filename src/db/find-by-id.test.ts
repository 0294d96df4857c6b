// Get-by-id on SQLite keeps rows it has read while the change token is unchanged. These tests fail if a kept
// row outlives a write (by this connection, another connection, or a rolled-back transaction) or can be changed.
import assert from 'node:assert/strict';
import { aCustomerRow } from '../../test/support/builders.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { POSTGRES_URL, dropPostgresSchema, newPostgresSchema, testDialects } from '../../test/support/app.js';
import { readsFromNow } from './change-token.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from './database.js';
import { findById, handOverRow } from './find-by-id.js';
import type { CustomerRow } from './tables.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-find-by-id-'));
const tenant = { seller_id: 'sel_find_by_id', environment: 'sandbox' as const };

describe('findById on a shared SQLite file', () => {
  let first: OpenDatabase;
  let second: OpenDatabase;

  before(async () => {
    const url = `sqlite:${join(dir, 'rows.db')}`;
    first = openDatabase(url);
    second = openDatabase(url);
    await migrateToLatest(first.db);
  });
  after(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rename = (open: OpenDatabase, id: string, name: string) =>
    open.db
      .updateTable('customers')
      .set({ name })
      .where('seller_id', '=', tenant.seller_id)
      .where('id', '=', id)
      .execute();

  it('answers the same row again until something writes, then reads it anew', async () => {
    await first.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_one', { name: 'First name' }))
      .execute();
    const once = await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_one');
    const twice = await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_one');
    assert.equal(twice?.name, 'First name');
    assert.equal(twice, once, 'the second read is answered from the kept row');

    await rename(first, 'ctm_one', 'Renamed here');
    assert.equal((await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_one'))?.name, 'Renamed here');

    await rename(second, 'ctm_one', 'Renamed by another connection');
    // Another connection's commit is seen by the next request (the app calls readsFromNow as each one arrives) …
    readsFromNow(first.db);
    assert.equal(
      (await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_one'))?.name,
      'Renamed by another connection',
    );

    // … and by any work on the event loop's next turn, request or not.
    await rename(second, 'ctm_one', 'Renamed again by another connection');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(
      (await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_one'))?.name,
      'Renamed again by another connection',
    );
  });

  it('gives out rows nobody can change', async () => {
    await first.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_frozen', { name: 'Frozen' }))
      .execute();
    const row = await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_frozen');
    assert.ok(row);
    assert.throws(() => {
      (row as { name: string | null }).name = 'Changed in memory';
    }, TypeError);
    assert.equal((await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_frozen'))?.name, 'Frozen');
  });

  it('never answers with another request’s uncommitted write, even when it is rolled back', async () => {
    await first.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_dirty', { name: 'Committed' }))
      .execute();
    await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_dirty');
    let readDuring: Promise<CustomerRow | undefined> | undefined;
    await assert.rejects(
      first.db.transaction().execute(async (trx) => {
        await trx.updateTable('customers').set({ name: 'Uncommitted' }).where('id', '=', 'ctm_dirty').execute();
        // Another request reads while this transaction is open on the one connection.
        readDuring = findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_dirty');
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal((await readDuring)?.name, 'Committed');
    assert.equal((await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_dirty'))?.name, 'Committed');
  });

  it('answers the last commit at once while the connection is inside a transaction, and keeps none of it', async () => {
    await first.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_during', { name: 'Before' }))
      .execute();
    const trx = await first.db.startTransaction().execute();
    await trx.updateTable('customers').set({ name: 'During' }).where('id', '=', 'ctm_during').execute();
    // The read does not wait for the transaction: it is answered before the transaction commits.
    const order: string[] = [];
    const reading = findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_during').then((row) => {
      order.push('read');
      return row;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push('commit');
    await trx.commit().execute();
    assert.equal((await reading)?.name, 'Before', 'the last commit, not the uncommitted write');
    assert.deepEqual(order, ['read', 'commit']);
    assert.equal(
      (await findById<CustomerRow>(first.db, 'customers', tenant, 'ctm_during'))?.name,
      'During',
      'after the commit, the committed row (the earlier answer was not kept)',
    );
  });

  it('keeps tenants apart', async () => {
    await first.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_tenant', { name: 'Sandbox row' }))
      .execute();
    assert.ok(await findById(first.db, 'customers', tenant, 'ctm_tenant'));
    assert.equal(await findById(first.db, 'customers', { ...tenant, environment: 'live' }, 'ctm_tenant'), undefined);
    assert.equal(await findById(first.db, 'customers', { ...tenant, seller_id: 'sel_other' }, 'ctm_tenant'), undefined);
  });
});

describe('findById on PostgreSQL', async () => {
  if (!(await testDialects()).includes('postgres')) return;
  let schema: string;
  let single: OpenDatabase;
  let pair: OpenDatabase;

  before(async () => {
    schema = await newPostgresSchema();
    // One connection, so a later query sees the session's prepared statements; two, so a read outside the
    // transaction would be free to use the other connection.
    single = openDatabase(POSTGRES_URL, { schema, poolSize: 1 });
    pair = openDatabase(POSTGRES_URL, { schema, poolSize: 2 });
    await migrateToLatest(single.db, single.schema);
    await single.db
      .insertInto('customers')
      .values(aCustomerRow(tenant, 'ctm_pg', { name: 'On PostgreSQL' }))
      .execute();
  });
  after(async () => {
    await single.close();
    await pair.close();
    await dropPostgresSchema(schema);
  });

  it('reads through a named prepared statement, parsed once per connection', async () => {
    const row = await findById<CustomerRow>(single.db, 'customers', tenant, 'ctm_pg');
    assert.equal(row?.name, 'On PostgreSQL');
    const prepared = await sql<{
      name: string;
      statement: string;
    }>`select name, statement from pg_prepared_statements`.execute(single.db);
    const customers = prepared.rows.filter((r) => r.statement.includes('from "customers"'));
    assert.equal(customers.length, 1);
    assert.match(customers[0]!.name, /^paddock_[0-9a-f]{24}$/);
    await findById<CustomerRow>(single.db, 'customers', tenant, 'ctm_pg');
    const after = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(single.db);
    assert.equal(after.rows[0]?.n, prepared.rows.length, 'the second read reuses the statement');
  });

  it('still reads after another process changed the table under the prepared statement', async () => {
    await findById<CustomerRow>(single.db, 'customers', tenant, 'ctm_pg');
    await sql`alter table customers add column added_by_a_newer_version text`.execute(pair.db);
    try {
      const row = await findById<CustomerRow & { added_by_a_newer_version: string | null }>(
        single.db,
        'customers',
        tenant,
        'ctm_pg',
      );
      assert.equal(row?.id, 'ctm_pg');
      assert.equal(row?.added_by_a_newer_version, null);
    } finally {
      await sql`alter table customers drop column added_by_a_newer_version`.execute(pair.db);
    }
  });

  it('answers a row handed over with the key once, to that tenant object, table and id, outside transactions', async () => {
    const requestTenant = Object.freeze({ ...tenant });
    const handed = { ...aCustomerRow(tenant, 'ctm_pg'), name: 'Read with the key' };
    handOverRow(requestTenant, 'customers', 'ctm_pg', handed);
    // another tenant object (another request), another id or another table read the database
    assert.equal((await findById<CustomerRow>(single.db, 'customers', { ...tenant }, 'ctm_pg'))?.name, 'On PostgreSQL');
    assert.equal(await findById(single.db, 'customers', requestTenant, 'ctm_other'), undefined);
    assert.equal(await findById(single.db, 'products', requestTenant, 'ctm_pg'), undefined);
    await pair.db.transaction().execute(async (trx) => {
      assert.equal((await findById<CustomerRow>(trx, 'customers', requestTenant, 'ctm_pg'))?.name, 'On PostgreSQL');
    });
    assert.equal(await findById(single.db, 'customers', requestTenant, 'ctm_pg'), handed);
    // taken once: the next read is the database's
    assert.equal((await findById<CustomerRow>(single.db, 'customers', requestTenant, 'ctm_pg'))?.name, 'On PostgreSQL');
    // "no such row" is handed over too
    handOverRow(requestTenant, 'customers', 'ctm_pg', undefined);
    assert.equal(await findById(single.db, 'customers', requestTenant, 'ctm_pg'), undefined);
  });

  it('reads inside a transaction on the transaction’s own connection', async () => {
    await pair.db.transaction().execute(async (trx) => {
      await trx.updateTable('customers').set({ name: 'Inside the transaction' }).where('id', '=', 'ctm_pg').execute();
      const row = await findById<CustomerRow>(trx, 'customers', tenant, 'ctm_pg');
      assert.equal(row?.name, 'Inside the transaction');
    });
  });
});
