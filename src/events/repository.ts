// The events table (the outbox). Rows are only ever inserted here; delivery reads them later.
import type { Executor } from '../db/database.js';
import type { NewEvent } from '../db/tables.js';

/** Inserts one event row in the caller's transaction, so it commits or rolls back with the change it records. */
export async function insertEvent(trx: Executor, row: NewEvent): Promise<void> {
  await trx.insertInto('events').values(row).execute();
}
