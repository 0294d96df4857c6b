// Frozen: sellers made on demand for tests (#15) and sandbox clocks that stand still.
// - sellers.parent_seller_id: the seller whose key made this one (null for the default seller and sellers made by
//   the CLI); a key may list and delete only the sellers its own seller made.
// - seller_environments.clock_frozen_at: the instant a sandbox clock stands at (fixed-width RFC 3339), or null
//   while it runs (wall clock + clock_offset_us).
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sellers').addColumn('parent_seller_id', 'varchar(64)').execute();
  await db.schema.createIndex('sellers_parent_idx').on('sellers').columns(['parent_seller_id', 'id']).execute();
  await db.schema.alterTable('seller_environments').addColumn('clock_frozen_at', TIME).execute();
}
