// Frozen: a paid checkout asks whether its transaction already made a subscription (by `origin_transaction_id`),
// once per payment. Without an index that read every subscription of the tenant: seeding 10,000 subscriptions
// spent a millisecond on it per subscription, more with every one made (#10, item 4). Led by the tenant, as
// every index.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('subscriptions_origin_transaction_idx')
    .on('subscriptions')
    .columns(['seller_id', 'environment', 'origin_transaction_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('subscriptions_origin_transaction_idx').execute();
}
