// The events table (the outbox). Rows are only ever inserted here; delivery reads them later.
import type { Executor } from '../db/database.js';
import type { NewEvent } from '../db/tables.js';
import { insertRows } from '../db/insert-rows.js';

/** Rows of one multi-row insert: 6 columns each stays well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 500;

/** Inserts event rows in the caller's transaction, so they commit or roll back with the change they record. */
export async function insertEvents(trx: Executor, rows: readonly NewEvent[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await insertRows(trx, 'events', rows.slice(start, start + ROWS_PER_INSERT));
  }
}
