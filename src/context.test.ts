// withTransaction hands its work a context whose db IS the transaction: reads inside see the transaction's own
// writes (and go through its connection), the work commits or rolls back as one, and code that needs a
// transaction refuses a plain context at compile time (test/types/transactions.ts, compiled here).
import assert from 'node:assert/strict';
import { aCustomerRow } from '../test/support/builders.js';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { dropPostgresSchema, newPostgresSchema, POSTGRES_URL, testDialects } from '../test/support/app.js';
import type { Config } from './config.js';
import { withTransaction, type Ctx } from './context.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from './db/database.js';
import { findById } from './db/find-by-id.js';
import type { CustomerRow } from './db/tables.js';
import { FixedClock } from './kernel/clock.js';
import { Temporal } from './kernel/time.js';
import { wire } from './modules/module.js';

const tenant = { seller_id: 'sel_with_transaction', environment: 'sandbox' as const };

for (const dialect of await testDialects()) {
  describe(`withTransaction (${dialect})`, () => {
    let open: OpenDatabase;
    let schema: string | undefined;
    let ctx: Ctx;

    before(async () => {
      schema = dialect === 'postgres' ? await newPostgresSchema() : undefined;
      open = schema ? openDatabase(POSTGRES_URL, { schema, poolSize: 2 }) : openDatabase('sqlite::memory:');
      await migrateToLatest(open.db, schema);
      ctx = {
        db: open.db,
        dialect,
        clock: new FixedClock(Temporal.Instant.from('2026-11-24T10:00:00Z')),
        tenant,
        config: {} as Config,
        wiring: wire([]),
      };
    });
    after(async () => {
      await open.close();
      if (schema) await dropPostgresSchema(schema);
    });

    it('gives the work a context bound to the transaction, which sees its own writes', async () => {
      const seen = await withTransaction(ctx, async (tx) => {
        assert.equal(tx.db.isTransaction, true);
        assert.equal(tx.tenant, ctx.tenant);
        await tx.db.insertInto('customers').values(aCustomerRow(tenant, 'ctm_inside')).execute();
        return findById<CustomerRow>(tx.db, 'customers', tenant, 'ctm_inside');
      });
      assert.equal(seen?.id, 'ctm_inside');
      assert.equal(ctx.db.isTransaction, false);
      assert.equal((await findById<CustomerRow>(ctx.db, 'customers', tenant, 'ctm_inside'))?.id, 'ctm_inside');
    });

    it('rolls everything back when the work throws', async () => {
      await assert.rejects(
        withTransaction(ctx, async (tx) => {
          await tx.db.insertInto('customers').values(aCustomerRow(tenant, 'ctm_rolled_back')).execute();
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await findById<CustomerRow>(ctx.db, 'customers', tenant, 'ctm_rolled_back'), undefined);
    });

    it('joins a transaction already open: inner work commits or rolls back with the outer one', async () => {
      await assert.rejects(
        withTransaction(ctx, async (outer) => {
          await withTransaction(outer, async (inner) => {
            assert.equal(inner.db, outer.db, 'the same transaction');
            await inner.db.insertInto('customers').values(aCustomerRow(tenant, 'ctm_joined')).execute();
          });
          assert.equal((await findById<CustomerRow>(outer.db, 'customers', tenant, 'ctm_joined'))?.id, 'ctm_joined');
          throw new Error('the outer work fails');
        }),
        /the outer work fails/,
      );
      assert.equal(await findById<CustomerRow>(ctx.db, 'customers', tenant, 'ctm_joined'), undefined);
    });
  });
}

describe('transaction types', () => {
  it('refuses the database or a plain context where a transaction is required (tsc)', () => {
    const file = fileURLToPath(new URL('../test/types/transactions.ts', import.meta.url));
    const configFile = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, fileURLToPath(new URL('..', import.meta.url)));
    const program = ts.createProgram([file], options);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(errors, []);
  });
});
