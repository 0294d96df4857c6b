// Frozen: a discount group's name is unique per seller and environment (Paddle: "Unique name of this discount
// group", 409 `discount_group_name_conflict`), compared as written. The index makes two groups created at once
// with one name impossible, not only unlikely; the service checks first to answer with Paddle's code.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('discount_groups_name_idx')
    .unique()
    .on('discount_groups')
    .columns(['seller_id', 'environment', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('discount_groups_name_idx').execute();
}
