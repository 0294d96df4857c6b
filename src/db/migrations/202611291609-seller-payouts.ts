// Frozen: what a seller is paid in and what Paddle's fee is for it (issue #9): the balance currency payouts are
// converted into, and the fee model (a share of each transaction's grand total plus a fixed amount in its own
// currency). The defaults are Paddle's published pay-as-you-go pricing, 5 % + 50¢, paid out in USD.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sellers')
    .addColumn('balance_currency', 'varchar(3)', (c) => c.notNull().defaultTo('USD'))
    .execute();
  await db.schema
    .alterTable('sellers')
    .addColumn('fee_rate', 'varchar(16)', (c) => c.notNull().defaultTo('0.05'))
    .execute();
  await db.schema
    .alterTable('sellers')
    .addColumn('fee_fixed', 'bigint', (c) => c.notNull().defaultTo(50))
    .execute();
  await db.schema
    .alterTable('sellers')
    .addColumn('fee_fixed_currency', 'varchar(3)', (c) => c.notNull().defaultTo('USD'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['fee_fixed_currency', 'fee_fixed', 'fee_rate', 'balance_currency']) {
    await db.schema.alterTable('sellers').dropColumn(column).execute();
  }
}
