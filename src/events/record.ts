// Events are written in the same database transaction as the change they describe (an outbox), so a
// change and its event commit or roll back together. Delivery to webhooks reads them later.
import type { Ctx, TxCtx } from '../context.js';
import type { Executor } from '../db/database.js';
import { tenantRows } from '../db/tenant-rows.js';
import { newId } from '../kernel/ids.js';
import { toStoredTime } from '../kernel/time.js';
import type { EventType } from './catalogue.js';
import { eventDataColumn } from '../db/json.js';

export async function recordEvent(ctx: TxCtx, eventType: EventType, data: unknown): Promise<string> {
  const now = ctx.clock.now();
  const id = newId('event', now.epochMilliseconds);
  await ctx.db
    .insertInto('events')
    .values({
      ...ctx.tenant,
      id,
      event_type: eventType,
      occurred_at: toStoredTime(now),
      data: eventDataColumn.encode(data),
    })
    .execute();
  return id;
}

export async function listEvents(db: Executor, ctx: Pick<Ctx, 'tenant'>) {
  return tenantRows(db, 'events', ctx.tenant).orderBy('id', 'asc').execute();
}
