// Every table of the migrated schema that has a seller_id column is in TENANT_TABLES (so deleting a seller and
// resetting a sandbox reach it), and every listed table exists; on both engines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, useTestApp } from '../../test/support/app.js';
import { TENANT_TABLES, tenantTablesOf } from './tenant-tables.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  async function tablesWithSellerId(): Promise<string[]> {
    if (dialect === 'sqlite') {
      const { rows } = await sql<{ name: string }>`
        select m.name from sqlite_master m join pragma_table_info(m.name) c
        where m.type = 'table' and c.name = 'seller_id' order by m.name`.execute(t().db);
      return rows.map((row) => row.name);
    }
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.columns
      where table_schema = current_schema() and column_name = 'seller_id' order by table_name`.execute(t().db);
    return rows.map((row) => row.name);
  }

  describe('tenant tables', () => {
    it('lists every table of the schema that has a seller_id column, and no other', async () => {
      assert.deepEqual(Object.keys(TENANT_TABLES).sort(), await tablesWithSellerId());
    });

    it('keeps the environment and its keys through a reset, and nothing else', () => {
      assert.deepEqual(tenantTablesOf('identity'), ['seller_environments', 'api_keys']);
      assert.ok(tenantTablesOf('data').includes('events'));
      assert.ok(tenantTablesOf('data').includes('emails'));
    });
  });
});
