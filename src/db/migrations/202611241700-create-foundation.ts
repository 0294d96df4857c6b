// Frozen: takes Kysely<any>, imports no application code, runs on SQLite and PostgreSQL alike.
// Every tenant-owned table carries (seller_id, environment) and leads its keys with them, so a later
// split by tenant (Citus, distributed by seller_id) needs no schema change.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)'; // fixed-width RFC 3339 UTC with microseconds: text order is time order
const JSON_TEXT = 'text';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sellers')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('seller_environments')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('portal_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('portal_signing_secret', 'text', (c) => c.notNull())
    .addColumn('clock_offset_us', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('seller_environments_pk', ['seller_id', 'environment'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('permissions', JSON_TEXT, (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('is_bootstrap', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', TIME)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('api_keys_pk', ['seller_id', 'environment', 'id'])
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('tax_category', 'varchar(64)', (c) => c.notNull())
    .addColumn('image_url', 'text')
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('products_pk', ['seller_id', 'environment', 'id'])
    .execute();

  await db.schema
    .createTable('prices')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('product_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('billing_cycle', JSON_TEXT)
    .addColumn('trial_period', JSON_TEXT)
    .addColumn('tax_mode', 'varchar(32)', (c) => c.notNull())
    .addColumn('unit_price_amount', 'bigint', (c) => c.notNull())
    .addColumn('unit_price_currency', 'varchar(3)', (c) => c.notNull())
    .addColumn('unit_price_overrides', JSON_TEXT, (c) => c.notNull())
    .addColumn('quantity_minimum', 'bigint', (c) => c.notNull())
    .addColumn('quantity_maximum', 'bigint', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('prices_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('prices_product_idx')
    .on('prices')
    .columns(['seller_id', 'environment', 'product_id'])
    .execute();

  await db.schema
    .createTable('customers')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('marketing_consent', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('locale', 'varchar(35)', (c) => c.notNull())
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('customers_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('customers_email_key_uq')
    .on('customers')
    .columns(['seller_id', 'environment', 'email_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('addresses')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('first_line', 'text')
    .addColumn('second_line', 'text')
    .addColumn('city', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('region', 'text')
    .addColumn('country_code', 'varchar(2)', (c) => c.notNull())
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('addresses_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('addresses_customer_idx')
    .on('addresses')
    .columns(['seller_id', 'environment', 'customer_id'])
    .execute();

  await db.schema
    .createTable('businesses')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('company_number', 'text')
    .addColumn('tax_identifier', 'text')
    .addColumn('contacts', JSON_TEXT, (c) => c.notNull())
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('businesses_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('businesses_customer_idx')
    .on('businesses')
    .columns(['seller_id', 'environment', 'customer_id'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('occurred_at', TIME, (c) => c.notNull())
    .addColumn('data', JSON_TEXT, (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['seller_id', 'environment', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'events',
    'businesses',
    'addresses',
    'customers',
    'prices',
    'products',
    'api_keys',
    'seller_environments',
    'sellers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
