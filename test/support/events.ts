// The one way tests read recorded events (the outbox table): oldest first, payloads decoded, narrowed by type,
// entity, tenant or position. Tests assert on events through this instead of querying the table themselves.
import type { Executor } from '../../src/db/database.js';
import { eventDataColumn } from '../../src/db/json.js';
import type { Environment } from '../../src/db/tables.js';

export interface RecordedEvent {
  id: string;
  type: string;
  occurred_at: string;
  seller_id: string;
  environment: Environment;
  /** The payload as recorded (the entity as the event announced it). */
  data: any;
}

export interface EventQuery {
  /** Only events of this type (`customer.created`). */
  type?: string;
  /** Only events about this entity (`data.id`), or about any of these. */
  entityId?: string | readonly string[];
  sellerId?: string;
  environment?: Environment;
  /** Only events recorded after this one (an id from `lastEventId`). */
  after?: string;
}

/** Recorded events of every tenant (unless `query` narrows them), oldest first. */
export async function recordedEvents(app: { db: Executor }, query: EventQuery = {}): Promise<RecordedEvent[]> {
  let select = app.db.selectFrom('events').selectAll().orderBy('id', 'asc');
  if (query.type !== undefined) select = select.where('event_type', '=', query.type);
  if (query.sellerId !== undefined) select = select.where('seller_id', '=', query.sellerId);
  if (query.environment !== undefined) select = select.where('environment', '=', query.environment);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  const events = (await select.execute()).map((row) => ({
    id: row.id,
    type: row.event_type,
    occurred_at: row.occurred_at,
    seller_id: row.seller_id,
    environment: row.environment,
    data: eventDataColumn.decode(row.data) as any,
  }));
  if (query.entityId === undefined) return events;
  const ids: readonly string[] = typeof query.entityId === 'string' ? [query.entityId] : query.entityId;
  return events.filter((event) => ids.includes(event.data?.id));
}

/** The id of the newest recorded event ('' when there is none): pass it as `after` to see only what follows. */
export async function lastEventId(app: { db: Executor }): Promise<string> {
  const events = await recordedEvents(app);
  return events.at(-1)?.id ?? '';
}
