// Frozen: subscriptions. `next_due_at` is the earliest instant at which the subscription has work (renewal,
// scheduled change, payment retry): the due-work query reads only that indexed column.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';
const JSON_TEXT = 'text';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscriptions')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('address_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('business_id', 'varchar(64)')
    .addColumn('currency_code', 'varchar(3)', (c) => c.notNull())
    .addColumn('collection_mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('billing_details', JSON_TEXT)
    .addColumn('billing_cycle', JSON_TEXT, (c) => c.notNull())
    .addColumn('billing_anchor', TIME, (c) => c.notNull())
    .addColumn('started_at', TIME)
    .addColumn('first_billed_at', TIME)
    .addColumn('next_billed_at', TIME)
    .addColumn('paused_at', TIME)
    .addColumn('canceled_at', TIME)
    .addColumn('current_billing_period', JSON_TEXT)
    .addColumn('scheduled_change', JSON_TEXT)
    .addColumn('on_resume', 'varchar(40)')
    .addColumn('past_due_when_paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('discount', JSON_TEXT)
    .addColumn('items', JSON_TEXT, (c) => c.notNull())
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('payment_method_id', 'varchar(64)')
    .addColumn('origin_transaction_id', 'varchar(64)')
    // Lines billed with the next renewal (prorated_next_billing_period, full_next_billing_period, one-time charges).
    .addColumn('next_period_lines', JSON_TEXT, (c) => c.notNull())
    // Dunning: when the renewal first failed, and when the payment is retried next.
    .addColumn('past_due_since', TIME)
    .addColumn('retry_at', TIME)
    .addColumn('next_due_at', TIME)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('subscriptions_customer_idx')
    .on('subscriptions')
    .columns(['seller_id', 'environment', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('subscriptions_due_idx')
    .on('subscriptions')
    .columns(['seller_id', 'environment', 'next_due_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscriptions').execute();
}
