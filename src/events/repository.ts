// The events table (the outbox). Rows are only ever inserted here; delivery reads them later.
import type { Executor } from '../db/database.js';
import type { NewEvent } from '../db/tables.js';
import { insertRows } from '../db/insert-rows.js';

/** Inserts event rows in the caller's transaction, so they commit or roll back with the change they record. */
export async function insertEvents(trx: Executor, rows: readonly NewEvent[]): Promise<void> {
  await insertRows(trx, 'events', rows);
}
