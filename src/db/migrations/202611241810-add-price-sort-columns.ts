// Frozen: the price's billing cycle as two plain columns, so `order_by=billing_cycle.interval|frequency`
// sorts the same way on both engines without JSON functions.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('prices').addColumn('billing_cycle_interval', 'varchar(8)').execute();
  await db.schema.alterTable('prices').addColumn('billing_cycle_frequency', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('prices').dropColumn('billing_cycle_frequency').execute();
  await db.schema.alterTable('prices').dropColumn('billing_cycle_interval').execute();
}
