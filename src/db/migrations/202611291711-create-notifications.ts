// Frozen: webhooks. Notification settings (destinations), the notifications made for each event and destination
// (created in the event's transaction: the delivery outbox), and one log row per delivery attempt.
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification_settings')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'varchar(500)', (c) => c.notNull())
    .addColumn('type', 'varchar(8)', (c) => c.notNull())
    .addColumn('destination', 'varchar(2048)', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('api_version', 'integer', (c) => c.notNull())
    .addColumn('include_sensitive_fields', 'integer', (c) => c.notNull())
    // JSON array of event names.
    .addColumn('subscribed_events', 'text', (c) => c.notNull())
    .addColumn('endpoint_secret_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('traffic_source', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_settings_pk', ['seller_id', 'environment', 'id'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('notification_setting_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('origin', 'varchar(8)', (c) => c.notNull())
    // The exact body sent (and signed): the event with this notification's id.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('occurred_at', TIME, (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('delivered_at', TIME)
    .addColumn('replayed_at', TIME)
    .addColumn('last_attempt_at', TIME)
    .addColumn('retry_at', TIME)
    .addColumn('times_attempted', 'integer', (c) => c.notNull())
    // A worker's lease (wall-clock time) and its token: a claim that expires is taken again (at least once).
    .addColumn('claimed_until', TIME)
    .addColumn('claim_token', 'varchar(40)')
    .addPrimaryKeyConstraint('notifications_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_setting_idx')
    .on('notifications')
    .columns(['seller_id', 'environment', 'notification_setting_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_retry_idx')
    .on('notifications')
    .columns(['seller_id', 'environment', 'status', 'retry_at'])
    .execute();
  // @NOTE the delivery worker claims first attempts across tenants (like the scheduler's tenant list): this is the
  // one index that does not lead with the tenant.
  await db.schema.createIndex('notifications_pending_idx').on('notifications').columns(['status', 'id']).execute();

  await db.schema
    .createTable('notification_logs')
    .addColumn('seller_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('environment', 'varchar(16)', (c) => c.notNull())
    .addColumn('id', 'varchar(64)', (c) => c.notNull())
    .addColumn('notification_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('response_code', 'integer', (c) => c.notNull())
    .addColumn('response_content_type', 'varchar(200)')
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('attempted_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_logs_pk', ['seller_id', 'environment', 'id'])
    .execute();
  await db.schema
    .createIndex('notification_logs_notification_idx')
    .on('notification_logs')
    .columns(['seller_id', 'environment', 'notification_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['notification_logs', 'notifications', 'notification_settings']) {
    await db.schema.dropTable(table).execute();
  }
}
