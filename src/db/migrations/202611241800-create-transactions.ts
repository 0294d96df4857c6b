// Frozen: transactions, their payment attempts, saved payment methods, customer credit balances, and the
// per-environment invoice-number counter. Money columns are bigint minor units.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';
const JSON_TEXT = 'text';

function tenantTable(db: Kysely<any>, name: string) {
  return db.schema
    .createTable(name)
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull());
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('seller_environments')
    .addColumn('invoice_sequence', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await tenantTable(db, 'transactions')
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)')
    .addColumn('address_id', 'varchar(64)')
    .addColumn('business_id', 'varchar(64)')
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('currency_code', 'varchar(3)', (c) => c.notNull())
    .addColumn('origin', 'varchar(48)', (c) => c.notNull())
    .addColumn('subscription_id', 'varchar(64)')
    .addColumn('invoice_id', 'varchar(64)')
    .addColumn('invoice_number', 'varchar(64)')
    .addColumn('collection_mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('discount_id', 'varchar(64)')
    .addColumn('billing_details', JSON_TEXT)
    .addColumn('billing_period', JSON_TEXT)
    .addColumn('items', JSON_TEXT, (c) => c.notNull())
    .addColumn('details', JSON_TEXT, (c) => c.notNull())
    .addColumn('grand_total', 'bigint', (c) => c.notNull())
    .addColumn('credit_used', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('checkout_url', 'text')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addColumn('billed_at', TIME)
    .addColumn('revised_at', TIME)
    .addPrimaryKeyConstraint('transactions_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('transactions_customer_idx')
    .on('transactions')
    .columns(['seller_id', 'environment', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('transactions_subscription_idx')
    .on('transactions')
    .columns(['seller_id', 'environment', 'subscription_id'])
    .execute();

  await tenantTable(db, 'payment_attempts')
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('transaction_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('payment_method_id', 'varchar(64)')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('status', 'varchar(32)', (c) => c.notNull())
    .addColumn('error_code', 'varchar(48)')
    .addColumn('method_details', JSON_TEXT, (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('captured_at', TIME)
    .addPrimaryKeyConstraint('payment_attempts_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('payment_attempts_transaction_idx')
    .on('payment_attempts')
    .columns(['seller_id', 'environment', 'transaction_id'])
    .execute();

  await tenantTable(db, 'payment_methods')
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('address_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('card', JSON_TEXT)
    // How a sandbox test card behaves on later charges: 'succeed' or 'decline' (4000 0027 6000 3184).
    .addColumn('later_charges', 'varchar(16)', (c) => c.notNull())
    .addColumn('origin', 'varchar(32)', (c) => c.notNull())
    .addColumn('saved_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_methods_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('payment_methods_customer_idx')
    .on('payment_methods')
    .columns(['seller_id', 'environment', 'customer_id'])
    .execute();

  await tenantTable(db, 'credit_balances')
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('currency_code', 'varchar(3)', (c) => c.notNull())
    .addColumn('available', 'bigint', (c) => c.notNull())
    .addColumn('reserved', 'bigint', (c) => c.notNull())
    .addColumn('used', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('credit_balances_pk', ['seller_id', 'environment', 'customer_id', 'currency_code'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['credit_balances', 'payment_methods', 'payment_attempts', 'transactions']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('seller_environments').dropColumn('invoice_sequence').execute();
}
