// Making notifications: one per active destination subscribed to the event's type (platform traffic goes to
// destinations whose traffic_source is `platform` or `all`), written in the event's own transaction. The payload
// is built once, here, and stored as the exact text that will be sent and signed.
import type { TxCtx } from '../../context.js';
import type { NotificationRow } from '../../db/tables.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime, toWireTime } from '../../kernel/time.js';
import type { RecordedEvent } from '../module.js';
import { activeNotificationSettings, subscribesTo } from '../notification-settings/service.js';
import { insertNotification } from './repository.js';

/** Paddle's webhook body, in Paddle's field order: event_id, event_type, occurred_at, notification_id, data. */
export function webhookBody(event: RecordedEvent, notificationId: string): string {
  return JSON.stringify({
    event_id: event.id,
    event_type: event.eventType,
    occurred_at: toWireTime(event.occurredAt),
    notification_id: notificationId,
    data: event.data,
  });
}

/** A new notification of `event` for one destination, waiting for its first attempt. */
export function newNotification(
  ctx: TxCtx,
  event: RecordedEvent,
  settingId: string,
  origin: NotificationRow['origin'],
): NotificationRow {
  const now = ctx.clock.now();
  const id = newId('notification');
  return {
    ...ctx.tenant,
    id,
    notification_setting_id: settingId,
    event_id: event.id,
    type: event.eventType,
    status: 'not_attempted',
    origin,
    payload: webhookBody(event, id),
    occurred_at: event.occurredAt,
    created_at: toStoredTime(now),
    delivered_at: null,
    replayed_at: origin === 'replay' ? toStoredTime(now) : null,
    last_attempt_at: null,
    retry_at: null,
    times_attempted: 0,
    claimed_until: null,
    claim_token: null,
    due_at: toStoredTime(now),
  };
}

/** The `eventRecorded` reaction: a notification for each active, subscribed platform destination. */
export async function notifyDestinations(ctx: TxCtx, event: RecordedEvent): Promise<void> {
  for (const setting of await activeNotificationSettings(ctx)) {
    if (setting.traffic_source === 'simulation' || !subscribesTo(setting, event.eventType)) continue;
    await insertNotification(ctx.db, newNotification(ctx, event, setting.id, 'event'));
  }
}
