import type { NotificationLogRow, NotificationRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** A notification as Paddle shows it; `payload` is the body that was (or will be) sent. */
export function serializeNotification(row: NotificationRow) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    payload: JSON.parse(row.payload) as unknown,
    occurred_at: toWireTime(row.occurred_at),
    delivered_at: toWireTime(row.delivered_at),
    replayed_at: toWireTime(row.replayed_at),
    origin: row.origin,
    last_attempt_at: toWireTime(row.last_attempt_at),
    retry_at: toWireTime(row.retry_at),
    times_attempted: Number(row.times_attempted),
    notification_setting_id: row.notification_setting_id,
  };
}

/** One delivery attempt (`ntflog_`): what the receiver answered, and when. */
export function serializeNotificationLog(row: NotificationLogRow) {
  return {
    id: row.id,
    response_code: Number(row.response_code),
    response_content_type: row.response_content_type,
    response_body: row.response_body,
    attempted_at: toWireTime(row.attempted_at),
  };
}
