// Frozen: the portal's sessions, kept on the server so that signing out ends one for good (issue #12 item 7): only
// the SHA-256 of the cookie's session id is stored, with the customer, when it began and when it was ended.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_sessions')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('signed_in_at', TIME, (c) => c.notNull())
    .addColumn('ended_at', TIME)
    .addPrimaryKeyConstraint('portal_sessions_pk', ['seller_id', 'environment', 'id_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('portal_sessions').execute();
}
