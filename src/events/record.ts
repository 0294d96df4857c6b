// Events are written in the same database transaction as the change they describe (an outbox), so a
// change and its event commit or roll back together. Delivery to webhooks reads them later.
import type { TxCtx } from '../context.js';
import { eventDataColumn } from '../db/json.js';
import { newId } from '../kernel/ids.js';
import { toStoredTime } from '../kernel/time.js';
import type { EventType } from './catalogue.js';
import { insertEvent } from './repository.js';

/** Records `eventType` with `data` (the entity as Paddle serializes it) at the tenant's now; returns the `evt_` id. */
export async function recordEvent(ctx: TxCtx, eventType: EventType, data: unknown): Promise<string> {
  const now = ctx.clock.now();
  const id = newId('event', now.epochMilliseconds);
  const occurredAt = toStoredTime(now);
  await insertEvent(ctx.db, {
    ...ctx.tenant,
    id,
    event_type: eventType,
    occurred_at: occurredAt,
    data: eventDataColumn.encode(data),
  });
  // The modules' reactions (webhook notifications) are written in this same transaction: nothing recorded is
  // left without its notifications, and nothing is notified that did not commit.
  for (const react of ctx.wiring.reactions.eventRecorded) await react(ctx, { id, eventType, occurredAt, data });
  return id;
}
