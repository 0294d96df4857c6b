// The hot by-id reads use the primary key once the planner's statistics are refreshed (issue #10 item 6): on a
// PostgreSQL table never analyzed, the planner read a customer through the email index, filtering every row of
// the tenant. Fails on any plan that filters the tenant's rows instead of looking the id up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, useTestApp } from '../../test/support/app.js';
import { aCustomerRow } from '../../test/support/builders.js';
import { refreshPlannerStatistics } from './statistics.js';

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('planner statistics', () => {
    it('a by-id read of a tenant with many rows uses the primary key, not a filter over the tenant', async () => {
      const tenant = { seller_id: 'sel_default', environment: 'sandbox' as const };
      const rows = Array.from({ length: 600 }, (_, i) =>
        aCustomerRow(tenant, `ctm_plan${String(i).padStart(22, '0')}`),
      );
      for (let i = 0; i < rows.length; i += 100)
        await t()
          .db.insertInto('customers')
          .values(rows.slice(i, i + 100))
          .execute();
      await refreshPlannerStatistics(t().db, t().dialect);
      const id = rows[300]!.id;
      const plan =
        dialect === 'postgres'
          ? (
              await sql<{ 'QUERY PLAN': string }>`explain select * from customers
                where seller_id = ${tenant.seller_id} and environment = ${tenant.environment} and id = ${id}`.execute(
                t().db,
              )
            ).rows.map((row) => row['QUERY PLAN'])
          : (
              await sql<{ detail: string }>`explain query plan select * from customers
                where seller_id = ${tenant.seller_id} and environment = ${tenant.environment} and id = ${id}`.execute(
                t().db,
              )
            ).rows.map((row) => row.detail);
      const text = plan.join('\n');
      assert.doesNotMatch(text, /Seq Scan|Filter:|SCAN customers\b(?! USING)/, text);
      if (dialect === 'postgres') assert.match(text, /customers_pk/, text);
    });
  });
});
