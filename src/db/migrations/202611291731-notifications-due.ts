// Frozen: webhook claims by tenant (issue #11). `due_at` (the tenant's clock) says when a notification is next to
// be attempted, and is null once it is delivered or failed; two partial indexes that lead with the tenant hold only
// notifications still to send: by destination (the delivery claim) and by due instant (the tenant's earliest due).
// The cross-tenant (status, id) index goes. An index by `occurred_at` lets the 90-day retention find what expired.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('due_at', 'varchar(32)').execute();
  await db
    .updateTable('notifications')
    .set({ due_at: sql`coalesce(retry_at, created_at)` })
    .where('status', 'in', ['not_attempted', 'needs_retry'])
    .execute();
  await db.schema.dropIndex('notifications_pending_idx').execute();
  await db.schema.dropIndex('notifications_retry_idx').execute();
  await db.schema
    .createIndex('notifications_destination_due_idx')
    .on('notifications')
    .columns(['seller_id', 'environment', 'notification_setting_id', 'due_at', 'id'])
    .where(sql.ref('due_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['seller_id', 'environment', 'due_at', 'id'])
    .where(sql.ref('due_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('notifications_occurred_idx')
    .on('notifications')
    .columns(['seller_id', 'environment', 'occurred_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['notifications_occurred_idx', 'notifications_due_idx', 'notifications_destination_due_idx'])
    await db.schema.dropIndex(index).execute();
  await db.schema.createIndex('notifications_pending_idx').on('notifications').columns(['status', 'id']).execute();
  await db.schema
    .createIndex('notifications_retry_idx')
    .on('notifications')
    .columns(['seller_id', 'environment', 'status', 'retry_at'])
    .execute();
  await db.schema.alterTable('notifications').dropColumn('due_at').execute();
}
