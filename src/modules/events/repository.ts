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
