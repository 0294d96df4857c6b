// Frozen: the portal's sign-ins by email (issue #12 items 8 and 9). Each request to sign in is one row of
// `portal_sign_ins`: the HMACs of its emailed link and 6-digit code (never the link or code), the customer (null
// when the address is no customer's: the row then exists only so the answers look the same), when it expires on the
// tenant's clock, when it was used, and how many tries its code has had. `rate_limit_hits` keeps one row per
// counted request (per client, per address), by the SHA-256 of what is counted, so every process sees the limits.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_sign_ins')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    // Lower-cased address the sign-in was asked for: codes are looked up by it, never by the code alone.
    .addColumn('email_key', 'varchar(320)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)')
    .addColumn('link_hash', 'varchar(64)')
    .addColumn('code_hash', 'varchar(64)')
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('used_at', TIME)
    .addPrimaryKeyConstraint('portal_sign_ins_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('portal_sign_ins_email_idx')
    .on('portal_sign_ins')
    .columns(['seller_id', 'environment', 'email_key', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('portal_sign_ins_link_idx')
    .on('portal_sign_ins')
    .columns(['seller_id', 'environment', 'link_hash'])
    .execute();
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('bucket', 'varchar(40)', (c) => c.notNull())
    .addColumn('subject_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_hits_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('rate_limit_hits_subject_idx')
    .on('rate_limit_hits')
    .columns(['seller_id', 'environment', 'bucket', 'subject_hash', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_hits').execute();
  await db.schema.dropTable('portal_sign_ins').execute();
}
