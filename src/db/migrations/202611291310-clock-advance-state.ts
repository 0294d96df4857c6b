// Frozen: a sandbox clock advance in progress, kept with the tenant so every process sees it (issue #10): its
// target (tenant clock), where it started, units done and failed so far, and which process drives it until when
// (wall clock; a process that dies leaves a lease that expires, and any process's scheduler resumes the advance).
import type { Kysely } from 'kysely';

const TIME = 'varchar(32)';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('seller_environments').addColumn('clock_target_at', TIME).execute();
  await db.schema.alterTable('seller_environments').addColumn('clock_advance_from', TIME).execute();
  await db.schema
    .alterTable('seller_environments')
    .addColumn('clock_advance_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('seller_environments')
    .addColumn('clock_advance_failed', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('seller_environments').addColumn('clock_advance_owner', 'varchar(64)').execute();
  await db.schema.alterTable('seller_environments').addColumn('clock_advance_lease_until', TIME).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [
    'clock_advance_lease_until',
    'clock_advance_owner',
    'clock_advance_failed',
    'clock_advance_done',
    'clock_advance_from',
    'clock_target_at',
  ]) {
    await db.schema.alterTable('seller_environments').dropColumn(column).execute();
  }
}
