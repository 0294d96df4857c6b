// Frozen: Paddle's adjustments (refunds and credits of billed or completed transactions, #9). Items, totals and
// tax rates are JSON as the entity shows them; `approve_at` is when a pending refund is approved on the tenant's
// clock (Paddle approves sandbox refunds within ten minutes), the due work's index.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';
const JSON_TEXT = 'text';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('adjustments')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('transaction_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('subscription_id', 'varchar(64)')
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('credit_applied_to_balance', 'integer')
    .addColumn('currency_code', 'varchar(3)', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('items', JSON_TEXT, (c) => c.notNull())
    .addColumn('totals', JSON_TEXT, (c) => c.notNull())
    .addColumn('payout_totals', JSON_TEXT)
    .addColumn('tax_rates_used', JSON_TEXT, (c) => c.notNull())
    .addColumn('approve_at', TIME)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('adjustments_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('adjustments_transaction_idx')
    .on('adjustments')
    .columns(['seller_id', 'environment', 'transaction_id'])
    .execute();
  await db.schema
    .createIndex('adjustments_approve_at_idx')
    .on('adjustments')
    .columns(['seller_id', 'environment', 'approve_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('adjustments').execute();
}
