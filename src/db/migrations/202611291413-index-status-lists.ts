// Frozen: the lists of customers, products and prices answer `status=active` unless asked otherwise (Paddle's
// default), and count the matches for `estimated_total`. An index led by the tenant and the status, then the id,
// gives the page in id order without a sort and counts from the index alone, instead of reading every row of the
// tenant to check its status (#13: the count alone cost more than the page). Named after 202611291214 so it runs
// after the migrations already applied on main (the migrator refuses one older than the last applied).
import type { Kysely } from 'kysely';

const TABLES = ['customers', 'products', 'prices'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema
      .createIndex(`${table}_status_idx`)
      .on(table)
      .columns(['seller_id', 'environment', 'status', 'id'])
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) await db.schema.dropIndex(`${table}_status_idx`).execute();
}
