// The events table read as Paddle's event stream (`GET /events`). Rows are written by src/events (the outbox).
import type { Executor } from '../../db/database.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { EventRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

export interface EventFilters {
  /** Stored time: only events that occurred at or after it (Paddle keeps 90 days). */
  since: string;
  /** Only these event types, when given. */
  eventTypes?: readonly string[];
}

export async function listEvents(
  db: Executor,
  tenant: Tenant,
  filters: EventFilters,
  page: PageRequest,
): Promise<Page<EventRow>> {
  let query = tenantRows(db, 'events', tenant).where('events.occurred_at', '>=', filters.since);
  if (filters.eventTypes && filters.eventTypes.length > 0)
    query = query.where('events.event_type', 'in', filters.eventTypes);
  return fetchPage(db, 'events', query, page);
}

/** The tenant's oldest events by id (creation order), at most `limit`: id and occurred_at (stored time). */
export async function oldestEvents(db: Executor, tenant: Tenant, limit: number) {
  return tenantRows(db, 'events', tenant)
    .clearSelect()
    .select(['events.id', 'events.occurred_at'])
    .orderBy('events.id', 'asc')
    .limit(limit)
    .execute();
}

/** Deletes the tenant's events with these ids; answers how many went. */
export async function deleteEvents(db: Executor, tenant: Tenant, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .deleteFrom('events')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
