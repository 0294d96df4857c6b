// A database migrated before a migration whose name sorts earlier reached it (work lands from several branches)
// still migrates: the missing one runs, nothing is refused (db/database.ts, migrateToLatest).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from './database.js';

it('runs a migration that sorts before ones already run', async () => {
  const database = openDatabase('sqlite::memory:');
  try {
    await migrateToLatest(database.db);
    // As a database migrated before 202611291212-portal-sessions landed, after later ones had.
    await sql`drop table portal_sessions`.execute(database.db);
    await sql`delete from kysely_migration where name = '202611291212-portal-sessions'`.execute(database.db);

    await migrateToLatest(database.db);

    const { rows } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name = 'portal_sessions'`.execute(database.db);
    assert.equal(rows.length, 1);
    const ran = await sql<{
      name: string;
    }>`select name from kysely_migration where name like '%portal-sessions'`.execute(database.db);
    assert.equal(ran.rows.length, 1);
  } finally {
    await database.close();
  }
});
