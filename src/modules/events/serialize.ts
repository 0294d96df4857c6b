import { eventDataColumn } from '../../db/json.js';
import type { EventRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** One event as `GET /events` shows it: `event_id`, `event_type`, `occurred_at` (RFC 3339), `data` (the entity). */
export function serializeEvent(row: EventRow) {
  return {
    event_id: row.id,
    event_type: row.event_type,
    occurred_at: toWireTime(row.occurred_at),
    data: eventDataColumn.decode(row.data),
  };
}
