// Events are written in the same database transaction as the change they describe (an outbox), so a
// change and its event commit or roll back together. Delivery to webhooks reads them later.
import type { Deferred, TxCtx } from '../context.js';
import type { Trx } from '../db/database.js';
import type { NewEvent } from '../db/tables.js';
import { eventDataColumn } from '../db/json.js';
import { newId } from '../kernel/ids.js';
import { toStoredTime } from '../kernel/time.js';
import type { EventType } from './catalogue.js';
import { insertEvents } from './repository.js';

/** What the modules' `eventRecorded` reactions receive. */
type RecordedEvent = Parameters<TxCtx['wiring']['reactions']['eventRecorded'][number]>[1];

/**
 * An event waiting for its batch's commit, with the context (the unit's clock) its reactions run in. Its data is
 * encoded at the flush: what the batch settles just before it (invoice numbers) is set on the entity by then.
 */
interface Pending {
  row: Omit<NewEvent, 'data'>;
  event: RecordedEvent;
  ctx: TxCtx;
}

/**
 * The events of a batch transaction (renewals), written in one multi-row insert before its commit instead of one
 * insert each (issue #10: seven events per renewal), in the order they were recorded; then the reactions run for
 * each, as `recordEvent` would have run them.
 */
class BatchOutbox implements Deferred<number> {
  private pending: Pending[] = [];
  add(entry: Pending): void {
    this.pending.push(entry);
  }
  mark(): number {
    return this.pending.length;
  }
  rewind(mark: number): void {
    this.pending.length = mark;
  }
  async flush(db: Trx): Promise<void> {
    // A reaction that records an event of its own adds it here again: written in the next round.
    while (this.pending.length > 0) {
      const round = this.pending;
      this.pending = [];
      await insertEvents(
        db,
        round.map((entry) => ({ ...entry.row, data: encoded(entry.event.data) })),
      );
      for (const { event, ctx } of round) await react({ ...ctx, db }, event);
    }
  }
}

async function react(ctx: TxCtx, event: RecordedEvent): Promise<void> {
  // The modules' reactions (webhook notifications) are written in this same transaction: nothing recorded is
  // left without its notifications, and nothing is notified that did not commit.
  for (const reaction of ctx.wiring.reactions.eventRecorded) await reaction(ctx, event);
}

/**
 * Entities already encoded, by identity: a change announced by two events (transaction.updated and
 * transaction.paid carry one entity) is encoded once. Entities are not changed after they are announced (in a
 * batch transaction, the invoice number is set on them before they are encoded, at the flush).
 */
const encodings = new WeakMap<object, string>();

function encoded(data: unknown): string {
  if (typeof data !== 'object' || data === null) return eventDataColumn.encode(data);
  let text = encodings.get(data);
  if (text === undefined) {
    text = eventDataColumn.encode(data);
    encodings.set(data, text);
  }
  return text;
}

/**
 * Records `eventType` with `data` (the entity as Paddle serializes it) at the tenant's now; returns the `evt_` id.
 * Inside a batch transaction (`ctx.scope`), the row and its reactions are written at the batch's commit.
 */
export async function recordEvent(ctx: TxCtx, eventType: EventType, data: unknown): Promise<string> {
  const now = ctx.clock.now();
  const id = newId('event');
  const occurredAt = toStoredTime(now);
  const row = { ...ctx.tenant, id, event_type: eventType, occurred_at: occurredAt };
  const event: RecordedEvent = { id, eventType, occurredAt, data };
  if (ctx.scope) {
    ctx.scope.deferred('events', () => new BatchOutbox()).add({ row, event, ctx });
    return id;
  }
  await insertEvents(ctx.db, [{ ...row, data: encoded(data) }]);
  await react(ctx, event);
  return id;
}
