// The SQL of the customer portal: its server-side session records.
import type { Db } from '../../db/database.js';
import type { PortalSessionRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

export async function insertPortalSession(db: Db, row: PortalSessionRow): Promise<void> {
  await db.insertInto('portal_sessions').values(row).execute();
}

/** The session with this id hash, ended or not; undefined when there is none. */
export async function findPortalSession(db: Db, tenant: Tenant, idHash: string): Promise<PortalSessionRow | undefined> {
  return tenantRows(db, 'portal_sessions', tenant).where('id_hash', '=', idHash).selectAll().executeTakeFirst();
}

/** Marks the session ended at `at` (a second sign-out changes nothing). */
export async function endPortalSession(db: Db, tenant: Tenant, idHash: string, at: string): Promise<void> {
  await db
    .updateTable('portal_sessions')
    .set({ ended_at: at })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute();
}
