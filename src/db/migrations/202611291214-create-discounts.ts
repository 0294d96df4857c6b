// Frozen: Paddle's discounts and discount groups (#14). A discount's code is unique per seller and environment
// whatever its case (Paddle: "Not case-sensitive"), so the lower-cased code is kept in `code_key` with a unique
// index; codes are stored as given. `times_used` counts completed redemptions.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';
const JSON_TEXT = 'text';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('discounts')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled_for_checkout', 'integer', (c) => c.notNull())
    .addColumn('code', 'varchar(32)')
    .addColumn('code_key', 'varchar(32)')
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('amount', 'varchar(40)', (c) => c.notNull())
    .addColumn('currency_code', 'varchar(3)')
    .addColumn('recur', 'integer', (c) => c.notNull())
    .addColumn('maximum_recurring_intervals', 'bigint')
    .addColumn('usage_limit', 'bigint')
    .addColumn('restrict_to', JSON_TEXT)
    .addColumn('expires_at', TIME)
    .addColumn('custom_data', JSON_TEXT)
    .addColumn('times_used', 'bigint', (c) => c.notNull())
    .addColumn('discount_group_id', 'varchar(64)')
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('discounts_pk', ['seller_id', 'environment', 'id'])
    .execute();
  // NULL codes are distinct on both engines, so any number of discounts may have no code.
  await db.schema
    .createIndex('discounts_code_key_idx')
    .unique()
    .on('discounts')
    .columns(['seller_id', 'environment', 'code_key'])
    .execute();

  await db.schema
    .createTable('discount_groups')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('import_meta', JSON_TEXT)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('discount_groups_pk', ['seller_id', 'environment', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('discount_groups').execute();
  await db.schema.dropTable('discounts').execute();
}
