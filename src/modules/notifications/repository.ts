// The notifications outbox and its logs. Notifications are inserted in the transaction that records their event;
// delivery claims them with a lease (`claimed_until`, wall-clock time, and a `claim_token`), sends, then records
// the attempt under the same token. A claim whose worker died expires and is taken again: at least once.
import type { Dialect, Executor } from '../../db/database.js';
import { insertRows } from '../../db/insert-rows.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import { columnsContain } from '../../db/search.js';
import type { NotificationLogRow, NotificationRow, NotificationStatus, Tenant } from '../../db/tables.js';
import { tenantDelete, tenantRows, tenantUpdate } from '../../db/tenant-rows.js';

export interface NotificationFilters {
  /** Stored time: only notifications whose event occurred at or after it (90 days kept). */
  since: string;
  notificationSettingIds?: readonly string[];
  statuses?: readonly NotificationStatus[];
  /** Text in the type or payload. */
  search?: string;
  /** A Paddle id the payload contains (`txn_…`, `ctm_…`, `sub_…`). */
  containsId?: string;
  /** Stored times bounding `occurred_at`. */
  from?: string;
  to?: string;
}

export async function insertNotification(db: Executor, row: NotificationRow): Promise<void> {
  await insertRows(db, 'notifications', [row]);
}

export async function findNotification(db: Executor, tenant: Tenant, id: string) {
  return tenantRows(db, 'notifications', tenant).where('notifications.id', '=', id).executeTakeFirst();
}

export async function listNotifications(
  db: Executor,
  tenant: Tenant,
  filters: NotificationFilters,
  page: PageRequest,
): Promise<Page<NotificationRow>> {
  let query = tenantRows(db, 'notifications', tenant).where('notifications.occurred_at', '>=', filters.since);
  if (filters.notificationSettingIds?.length)
    query = query.where('notifications.notification_setting_id', 'in', filters.notificationSettingIds);
  if (filters.statuses?.length) query = query.where('notifications.status', 'in', filters.statuses);
  if (filters.from !== undefined) query = query.where('notifications.occurred_at', '>=', filters.from);
  if (filters.to !== undefined) query = query.where('notifications.occurred_at', '<', filters.to);
  if (filters.containsId !== undefined) {
    const [condition] = columnsContain('notifications', ['payload'], `"${filters.containsId}"`);
    if (condition) query = query.where(condition);
  }
  if (filters.search !== undefined) {
    const conditions = columnsContain('notifications', ['type', 'payload'], filters.search);
    query = query.where((eb) => eb.or(conditions));
  }
  return fetchPage(db, 'notifications', query, page);
}

export async function listLogs(
  db: Executor,
  tenant: Tenant,
  notificationId: string,
  page: PageRequest,
): Promise<Page<NotificationLogRow>> {
  const query = tenantRows(db, 'notification_logs', tenant).where(
    'notification_logs.notification_id',
    '=',
    notificationId,
  );
  return fetchPage(db, 'notification_logs', query, page);
}

export async function markReplayed(db: Executor, tenant: Tenant, id: string, at: string): Promise<void> {
  await tenantUpdate(db, 'notifications', tenant).set({ replayed_at: at }).where('id', '=', id).execute();
}

/** What an attempt changes on its notification. */
export type AttemptChanges = Pick<
  NotificationRow,
  'status' | 'times_attempted' | 'last_attempt_at' | 'retry_at' | 'delivered_at' | 'due_at'
>;

/**
 * Records the same attempt changes on many notifications of one claim and releases their lease, for those whose
 * lease (its token) is still this worker's: one statement; answers the ids it changed.
 */
export async function recordAttempts(
  db: Executor,
  tenant: Tenant,
  ids: readonly string[],
  token: string,
  changes: AttemptChanges,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tenantUpdate(db, 'notifications', tenant)
    .set({ ...changes, claimed_until: null, claim_token: null })
    .where('id', 'in', ids)
    .where('claim_token', '=', token)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Inserts attempt logs, several per statement. */
export async function insertLogs(db: Executor, rows: readonly NotificationLogRow[]): Promise<void> {
  // @NOTE 8 columns a row: 100 rows stay far below SQLite's limit of bound parameters.
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('notification_logs')
      .values(rows.slice(i, i + 100))
      .execute();
}

/** A claim: until when (wall clock), under which token. */
export interface Claim {
  /** Stored wall-clock time now: a lease that ended before it is free. */
  wallNow: string;
  leaseUntil: string;
  token: string;
}

/**
 * The destinations of the tenant with notifications still to send (due now or later), from `after` on, at most
 * `limit`. @NOTE a skip scan of the partial index by destination (one seek per destination), so a destination's
 * backlog costs nothing here however long it is.
 */
export async function destinationsWithWork(db: Executor, tenant: Tenant, limit: number): Promise<string[]> {
  const found: string[] = [];
  let after = '';
  while (found.length < limit) {
    const row = await db
      .selectFrom('notifications')
      .select('notification_setting_id')
      .where('seller_id', '=', tenant.seller_id)
      .where('environment', '=', tenant.environment)
      .where('notification_setting_id', '>', after)
      .where('due_at', 'is not', null)
      .orderBy('notification_setting_id')
      .limit(1)
      .executeTakeFirst();
    if (!row) break;
    found.push(row.notification_setting_id);
    after = row.notification_setting_id;
  }
  return found;
}

/**
 * Leases up to `limit` of one destination's notifications due at `tenantNow` (oldest due first) and not leased
 * by anyone, in one statement; answers the rows this worker now holds. On PostgreSQL rows another worker is
 * locking are skipped (`FOR UPDATE SKIP LOCKED`); SQLite serialises writers, and the statement sees every
 * committed claim.
 */
export async function leaseDue(
  db: Executor,
  dialect: Dialect,
  tenant: Tenant,
  settingId: string,
  tenantNow: string,
  claim: Claim,
  limit: number,
): Promise<NotificationRow[]> {
  const due = db
    .selectFrom('notifications')
    .select('id')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('notification_setting_id', '=', settingId)
    .where('due_at', '<=', tenantNow)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', claim.wallNow)]))
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit);
  if (dialect === 'sqlite')
    return tenantUpdate(db, 'notifications', tenant)
      .set({ claimed_until: claim.leaseUntil, claim_token: claim.token })
      .where('id', 'in', due)
      .returningAll()
      .execute();
  // @NOTE PostgreSQL may run an `IN (subquery)` more than once (a semi-join rescanned), and with SKIP LOCKED each
  // run locks other rows: a claim of 2 leased 12. A materialized CTE runs once.
  return db
    .with(
      (cte) => cte('due').materialized(),
      () => due.forUpdate().skipLocked(),
    )
    .updateTable('notifications')
    .set({ claimed_until: claim.leaseUntil, claim_token: claim.token })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .returningAll('notifications')
    .execute();
}

/**
 * The earliest instant (stored, on the tenant's clock) at which the tenant has a notification due (leased ones
 * included); with `after`, the earliest strictly after it.
 */
export async function earliestDue(db: Executor, tenant: Tenant, after?: string): Promise<string | undefined> {
  let query = db
    .selectFrom('notifications')
    .select('due_at')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('due_at', 'is not', null);
  if (after !== undefined) query = query.where('due_at', '>', after);
  const row = await query.orderBy('due_at').limit(1).executeTakeFirst();
  return row?.due_at ?? undefined;
}

/** How many of the tenant's notifications due by `tenantNow` another worker holds right now. */
export async function countLeasedDue(
  db: Executor,
  tenant: Tenant,
  tenantNow: string,
  wallNow: string,
): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('due_at', 'is not', null)
    .where('due_at', '<=', tenantNow)
    .where('claimed_until', '>=', wallNow)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The `occurred_at` of the tenant's oldest notification (stored), if any. */
export async function oldestOccurredAt(db: Executor, tenant: Tenant): Promise<string | undefined> {
  const row = await db
    .selectFrom('notifications')
    .select('occurred_at')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .orderBy('occurred_at')
    .limit(1)
    .executeTakeFirst();
  return row?.occurred_at;
}

/**
 * Deletes up to `limit` of the tenant's notifications whose event occurred before `cutoff` (stored), with their
 * logs; answers how many notifications went.
 */
export async function deleteOccurredBefore(db: Executor, tenant: Tenant, cutoff: string, limit: number) {
  const ids = (
    await db
      .selectFrom('notifications')
      .select('id')
      .where('seller_id', '=', tenant.seller_id)
      .where('environment', '=', tenant.environment)
      .where('occurred_at', '<', cutoff)
      .orderBy('occurred_at')
      .limit(limit)
      .execute()
  ).map((row) => row.id);
  if (ids.length === 0) return 0;
  await tenantDelete(db, 'notification_logs', tenant).where('notification_id', 'in', ids).execute();
  await tenantDelete(db, 'notifications', tenant).where('id', 'in', ids).execute();
  return ids.length;
}
