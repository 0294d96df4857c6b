// Paddle's event stream: `GET /events` (the last 90 days on the tenant's clock, newest first) and the catalogue of
// event types (`GET /event-types`). Events are recorded by src/events in the same transaction as their change.
import type { Ctx } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import { PADDLE_EVENT_TYPES } from '../../events/paddle-event-types.js';
import { invalidField } from '../../kernel/errors.js';
import { toStoredTime } from '../../kernel/time.js';
import { listEvents as listRows } from './repository.js';

/** How long Paddle keeps events (and notifications) answerable: 90 days. */
export const RETENTION_DAYS = 90;

const TYPES_BY_NAME = new Map(PADDLE_EVENT_TYPES.map((type) => [type.name, type]));

/**
 * Reads the `event_type` filter the official SDKs send (`event_type=a,b`, not in Paddle's May 2025 spec): a
 * comma list of Paddle's event names. Throws 400 `invalid_field` for a name Paddle does not have.
 */
export function eventTypeFilter(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = (Array.isArray(raw) ? raw : [raw]).flatMap((value) => String(value).split(',')).filter(Boolean);
  const unknown = names.find((name) => !TYPES_BY_NAME.has(name));
  if (unknown) throw invalidField([{ field: 'event_type', message: `${unknown} is not one of Paddle's event types` }]);
  return names;
}

/** The tenant's events of the last 90 days (its clock), optionally of some types only; keyset-paged by id. */
export async function listEvents(ctx: Ctx, eventTypes: readonly string[] | undefined, page: PageRequest) {
  const since = ctx.clock.now().subtract({ hours: RETENTION_DAYS * 24 });
  return listRows(ctx.db, ctx.tenant, { since: toStoredTime(since), ...(eventTypes ? { eventTypes } : {}) }, page);
}

/** One event type as Paddle shows it (`name`, `description`, `group`, `available_versions`). */
export function describeEventType(name: string) {
  const known = TYPES_BY_NAME.get(name);
  return { name, description: known?.description ?? '', group: known?.group ?? '', available_versions: [1] };
}

/** Every event type Paddle has (its list is not paginated), each available in API version 1. */
export function listEventTypes() {
  return PADDLE_EVENT_TYPES.map((type) => describeEventType(type.name));
}
