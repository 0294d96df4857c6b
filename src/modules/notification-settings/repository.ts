import type { Executor } from '../../db/database.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { NotificationSettingRow, NotificationSettingsTable, Tenant } from '../../db/tables.js';
import { tenantQuery, tenantRows } from '../../db/tenant-rows.js';

export interface SettingFilters {
  active?: boolean;
  traffic_source?: NotificationSettingsTable['traffic_source'];
}

export async function insertSetting(db: Executor, row: NotificationSettingRow): Promise<void> {
  await db.insertInto('notification_settings').values(row).execute();
}

export async function findSetting(db: Executor, tenant: Tenant, id: string) {
  return tenantRows(db, 'notification_settings', tenant).where('notification_settings.id', '=', id).executeTakeFirst();
}

export async function listSettings(
  db: Executor,
  tenant: Tenant,
  filters: SettingFilters,
  page: PageRequest,
): Promise<Page<NotificationSettingRow>> {
  let query = tenantRows(db, 'notification_settings', tenant);
  if (filters.active !== undefined) query = query.where('notification_settings.active', '=', filters.active ? 1 : 0);
  if (filters.traffic_source !== undefined)
    query = query.where('notification_settings.traffic_source', '=', filters.traffic_source);
  return fetchPage(db, 'notification_settings', query, page);
}

/** The tenant's settings with these ids (deleted ones are missing). */
export async function findSettings(db: Executor, tenant: Tenant, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return tenantRows(db, 'notification_settings', tenant).where('notification_settings.id', 'in', ids).execute();
}

/** The tenant's active destinations (at most ten): what each recorded event is matched against. */
export async function activeSettings(db: Executor, tenant: Tenant): Promise<NotificationSettingRow[]> {
  // @NOTE read with every recorded event (outside batches): compiled once.
  const query = tenantQuery(db, 'active notification settings', tenant, (db, tenant) =>
    tenantRows(db, 'notification_settings', tenant).where('notification_settings.active', '=', 1),
  );
  return (await db.executeQuery(query)).rows;
}

/** Every setting of the tenant with this type and destination (for the duplicate rule). */
export async function settingsWithDestination(db: Executor, tenant: Tenant, type: string, destination: string) {
  return tenantRows(db, 'notification_settings', tenant)
    .where('notification_settings.type', '=', type as NotificationSettingsTable['type'])
    .where('notification_settings.destination', '=', destination)
    .execute();
}

export async function updateSetting(
  db: Executor,
  tenant: Tenant,
  id: string,
  changes: Partial<Omit<NotificationSettingRow, 'seller_id' | 'environment' | 'id'>>,
): Promise<void> {
  await db
    .updateTable('notification_settings')
    .set(changes)
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .execute();
}

export async function deleteSetting(db: Executor, tenant: Tenant, id: string): Promise<void> {
  await db
    .deleteFrom('notification_settings')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .execute();
}
