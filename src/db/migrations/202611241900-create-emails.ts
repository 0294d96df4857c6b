// Frozen: emails the server sends (portal sign-in links). Every email is kept here, in the same database
// transaction as what caused it; when SMTP_URL is set it is also sent after the commit, and `delivery` records how
// that went ('kept' when no SMTP server is configured, then 'sending', 'sent' or 'failed').
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('emails')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
    // Lower-cased recipient, for the `?to=` filter and the per-address sending limit.
    .addColumn('to_key', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(300)', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('delivery', 'varchar(16)', (c) => c.notNull())
    .addColumn('delivery_error', 'text')
    .addColumn('sent_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('emails_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('emails_to_idx')
    .on('emails')
    .columns(['seller_id', 'environment', 'to_key', 'sent_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('emails').execute();
}
