import type { Executor } from '../../db/database.js';
import type { EmailRow, EmailsTable, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

export async function insertEmail(db: Executor, row: EmailRow): Promise<void> {
  await db.insertInto('emails').values(row).execute();
}

/** Newest first; `toKey` (lower-cased) keeps only the emails to that address. */
export async function listEmails(
  db: Executor,
  tenant: Tenant,
  toKey: string | undefined,
  limit: number,
): Promise<EmailRow[]> {
  let query = tenantRows(db, 'emails', tenant);
  if (toKey !== undefined) query = query.where('to_key', '=', toKey);
  return query.orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function updateDelivery(
  db: Executor,
  tenant: Tenant,
  id: string,
  delivery: EmailsTable['delivery'],
  error: string | null,
): Promise<void> {
  await db
    .updateTable('emails')
    .set({ delivery, delivery_error: error })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .execute();
}
