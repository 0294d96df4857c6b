import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { aCustomerRow } from '../../test/support/builders.js';
import { forEachDialect, useMigratedDatabase } from '../../test/support/app.js';
import { insertRowUnlessConflict, insertRows, upsertRows } from './insert-rows.js';
import type { Tenant } from './tables.js';
import { tenantRows } from './tenant-rows.js';

const tenant: Tenant = { seller_id: 'sel_a', environment: 'sandbox' };

await forEachDialect((dialect) => {
  describe('insertRows', () => {
    const database = useMigratedDatabase(dialect);

    const ids = async () =>
      (await tenantRows(database().db, 'customers', tenant).orderBy('id').execute()).map((r) => r.id);

    it('writes every row and column of one shape in one statement, values as given (texts, bigints, null)', async () => {
      await insertRows(database().db, 'customers', [
        aCustomerRow(tenant, 'ctm_1', { name: 'One', marketing_consent: 1n }),
        aCustomerRow(tenant, 'ctm_2'),
      ]);
      // The same shape again (its SQL is kept), and a row count not seen before.
      await insertRows(database().db, 'customers', [aCustomerRow(tenant, 'ctm_3')]);
      assert.deepEqual(await ids(), ['ctm_1', 'ctm_2', 'ctm_3']);
      const one = await tenantRows(database().db, 'customers', tenant)
        .where('id', '=', 'ctm_1')
        .executeTakeFirstOrThrow();
      assert.equal(one.name, 'One');
      assert.equal(BigInt(one.marketing_consent), 1n);
      const two = await tenantRows(database().db, 'customers', tenant)
        .where('id', '=', 'ctm_2')
        .executeTakeFirstOrThrow();
      assert.equal(two.name, null);
    });

    it('inserts rows that give different columns too (an undefined column takes its default)', async () => {
      const { import_meta: _omitted, ...withoutMeta } = aCustomerRow(tenant, 'ctm_5');
      await insertRows(database().db, 'customers', [aCustomerRow(tenant, 'ctm_4'), withoutMeta]);
      assert.deepEqual((await ids()).slice(-2), ['ctm_4', 'ctm_5']);
    });

    it('writes nothing for no rows, and nothing at all when one row is refused (one statement)', async () => {
      await insertRows(database().db, 'customers', []);
      await assert.rejects(
        insertRows(database().db, 'customers', [aCustomerRow(tenant, 'ctm_6'), aCustomerRow(tenant, 'ctm_1')]),
      );
      assert.deepEqual(await ids(), ['ctm_1', 'ctm_2', 'ctm_3', 'ctm_4', 'ctm_5']);
    });

    it('writes more rows than one statement may bind (SQLite: 32,766 parameters), every one of them', async () => {
      const many = Array.from({ length: 3_000 }, (_, i) =>
        aCustomerRow(tenant, `ctm_many_${String(i).padStart(4, '0')}`),
      );
      await insertRows(database().db, 'customers', many);
      const written = (await ids()).filter((id) => id.startsWith('ctm_many_'));
      assert.deepEqual(
        written,
        many.map((row) => row.id),
      );
    });
  });

  describe('upsertRows', () => {
    const database = useMigratedDatabase(dialect);
    const keys = ['seller_id', 'environment', 'id'];

    it('inserts the rows that are new and updates those already there, over several statements', async () => {
      await insertRows(database().db, 'customers', [aCustomerRow(tenant, 'ctm_up_0000', { name: 'Before' })]);
      const rows = Array.from({ length: 3_000 }, (_, i) =>
        aCustomerRow(tenant, `ctm_up_${String(i).padStart(4, '0')}`, { name: `After ${i}` }),
      );
      await upsertRows(database().db, 'customers', rows, keys);
      const stored = await tenantRows(database().db, 'customers', tenant).orderBy('id').execute();
      assert.equal(stored.length, 3_000);
      assert.equal(stored[0]!.name, 'After 0');
      assert.equal(stored[2_999]!.name, 'After 2999');
    });
  });

  describe('insertRowUnlessConflict', () => {
    const database = useMigratedDatabase(dialect);

    it('inserts the row and answers true; answers false and writes nothing when the unique columns conflict', async () => {
      const byEmail = ['seller_id', 'environment', 'email_key'];
      assert.equal(
        await insertRowUnlessConflict(database().db, 'customers', aCustomerRow(tenant, 'ctm_1'), byEmail),
        true,
      );
      const sameEmail = aCustomerRow(tenant, 'ctm_2', { email_key: 'ctm_1@example.com' });
      assert.equal(await insertRowUnlessConflict(database().db, 'customers', sameEmail, byEmail), false);
      assert.equal(
        await insertRowUnlessConflict(database().db, 'customers', aCustomerRow(tenant, 'ctm_3'), byEmail),
        true,
      );
      const rows = await tenantRows(database().db, 'customers', tenant).orderBy('id').execute();
      assert.deepEqual(
        rows.map((row) => row.id),
        ['ctm_1', 'ctm_3'],
      );
      // a conflict on another unique index is not swallowed
      const sameId = aCustomerRow(tenant, 'ctm_3', { email_key: 'another@example.com' });
      await assert.rejects(insertRowUnlessConflict(database().db, 'customers', sameId, byEmail));
    });
  });

  if (dialect === 'postgres') {
    describe('insertRows on PostgreSQL', () => {
      // One connection, so the statement prepared is seen where it was prepared.
      const database = useMigratedDatabase(dialect, { poolSize: 1 });
      it('runs as a named prepared statement, parsed once per connection, inside transactions too', async () => {
        await database()
          .db.transaction()
          .execute((trx) => insertRows(trx, 'customers', [aCustomerRow(tenant, 'ctm_named_1')]));
        await insertRows(database().db, 'customers', [aCustomerRow(tenant, 'ctm_named_2')]);
        const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements
          where statement like 'insert into "customers"%'`.execute(database().db);
        assert.equal(prepared.rows.length, 1, 'one named statement for the one shape, used by both inserts');
        const rows = await tenantRows(database().db, 'customers', tenant).where('id', 'like', 'ctm_named_%').execute();
        assert.equal(rows.length, 2);
      });
    });
  }
});
