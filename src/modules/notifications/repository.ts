// The notifications outbox and its logs. Notifications are inserted in the transaction that records their event;
// delivery claims them with a lease (`claimed_until`, wall-clock time, and a `claim_token`), sends, then records
// the attempt under the same token. A claim whose worker died expires and is taken again: at least once.
import { sql } from 'kysely';
import type { Dialect, Executor } from '../../db/database.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import { columnsContain } from '../../db/search.js';
import type { NotificationLogRow, NotificationRow, NotificationStatus, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

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
  await db.insertInto('notifications').values(row).execute();
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

export async function insertLog(db: Executor, row: NotificationLogRow): Promise<void> {
  await db.insertInto('notification_logs').values(row).execute();
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
  await db
    .updateTable('notifications')
    .set({ replayed_at: at })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .execute();
}

/** What an attempt changes on its notification. */
export type AttemptChanges = Pick<
  NotificationRow,
  'status' | 'times_attempted' | 'last_attempt_at' | 'retry_at' | 'delivered_at'
>;

/** Records an attempt and releases the claim, if the claim (its token) is still this worker's. */
export async function recordAttempt(
  db: Executor,
  tenant: Tenant,
  id: string,
  token: string,
  changes: AttemptChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ ...changes, claimed_until: null, claim_token: null })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const CLAIMABLE: NotificationStatus[] = ['not_attempted', 'needs_retry'];

/** A claim: which rows, until when (wall clock), under which token. */
export interface Claim {
  /** Stored wall-clock time now: a lease that ended before it is free. */
  wallNow: string;
  leaseUntil: string;
  token: string;
}

/**
 * Leases the given candidates that are still unclaimed and still in a claimable status; answers the rows this
 * worker now holds. On PostgreSQL rows another worker is locking are skipped (`FOR UPDATE SKIP LOCKED`); SQLite
 * serialises writers, and the conditional update sees every committed claim.
 */
export async function leaseRows(
  db: Executor,
  dialect: Dialect,
  tenant: Tenant,
  ids: readonly string[],
  claim: Claim,
): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  // @NOTE the tenant columns lead the primary key: without them a lookup by id reads the whole table.
  const claimable = db
    .selectFrom('notifications')
    .select('id')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', 'in', ids)
    .where('status', 'in', CLAIMABLE)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', claim.wallNow)]));
  return db
    .updateTable('notifications')
    .set({ claimed_until: claim.leaseUntil, claim_token: claim.token })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', 'in', dialect === 'postgres' ? claimable.forUpdate().skipLocked() : claimable)
    .returningAll()
    .execute();
}

/**
 * First attempts waiting in any tenant, oldest first, leaving out destinations this worker has no room for; at
 * most `limit`. @NOTE the one cross-tenant read of this table (as the scheduler's list of tenants): a first attempt
 * is due as soon as it commits, whatever the tenant's clock says.
 */
export async function pendingCandidates(
  db: Executor,
  claim: Claim,
  excludeSettingIds: readonly string[],
  limit: number,
): Promise<Array<Pick<NotificationRow, 'seller_id' | 'environment' | 'id' | 'notification_setting_id'>>> {
  let query = db
    .selectFrom('notifications')
    .select(['seller_id', 'environment', 'id', 'notification_setting_id'])
    .where('status', '=', 'not_attempted')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', claim.wallNow)]));
  if (excludeSettingIds.length > 0) query = query.where('notification_setting_id', 'not in', excludeSettingIds);
  return query.orderBy('id').limit(limit).execute();
}

/** The tenant's notifications due at `tenantNow` (first attempts, and retries whose time has come), oldest first. */
export async function dueCandidates(
  db: Executor,
  tenant: Tenant,
  tenantNow: string,
  claim: Claim,
  limit: number,
): Promise<Array<Pick<NotificationRow, 'id' | 'notification_setting_id'>>> {
  return tenantRows(db, 'notifications', tenant)
    .clearSelect()
    .select(['notifications.id', 'notifications.notification_setting_id'])
    .where((eb) =>
      eb.or([
        eb('notifications.status', '=', 'not_attempted'),
        eb.and([eb('notifications.status', '=', 'needs_retry'), eb('notifications.retry_at', '<=', tenantNow)]),
      ]),
    )
    .where((eb) =>
      eb.or([eb('notifications.claimed_until', 'is', null), eb('notifications.claimed_until', '<', claim.wallNow)]),
    )
    .orderBy(sql`coalesce(notifications.retry_at, notifications.created_at)`)
    .orderBy('notifications.id')
    .limit(limit)
    .execute();
}

/**
 * The earliest instant (stored, on the tenant's clock) at which the tenant has a notification due: a retry's
 * `retry_at`, or a first attempt's `created_at`; with `after`, the earliest strictly after it. Leased rows count.
 */
export async function earliestDue(db: Executor, tenant: Tenant, after?: string): Promise<string | undefined> {
  const due = sql<string>`coalesce(notifications.retry_at, notifications.created_at)`;
  let query = tenantRows(db, 'notifications', tenant)
    .clearSelect()
    .select((eb) => eb.fn.min<string>(due).as('due'))
    .where('notifications.status', 'in', CLAIMABLE);
  if (after !== undefined) query = query.where(due, '>', after);
  const row = await query.executeTakeFirst();
  return row?.due ?? undefined;
}

/** How many of the tenant's notifications due by `tenantNow` another worker holds right now. */
export async function countLeasedDue(
  db: Executor,
  tenant: Tenant,
  tenantNow: string,
  wallNow: string,
): Promise<number> {
  const row = await tenantRows(db, 'notifications', tenant)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
    .where('notifications.status', 'in', CLAIMABLE)
    .where(sql<string>`coalesce(notifications.retry_at, notifications.created_at)`, '<=', tenantNow)
    .where('notifications.claimed_until', '>=', wallNow)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
