import type { NotificationSettingRow } from '../../db/tables.js';
import { describeEventType } from '../events/service.js';
import { subscribedEventsColumn } from './columns.js';

/** A notification setting as Paddle shows it: `subscribed_events` as event type objects (names are stored). */
export function serializeNotificationSetting(row: NotificationSettingRow) {
  return {
    id: row.id,
    description: row.description,
    type: row.type,
    destination: row.destination,
    active: Number(row.active) === 1,
    api_version: Number(row.api_version),
    include_sensitive_fields: Number(row.include_sensitive_fields) === 1,
    subscribed_events: subscribedEventsColumn.decode(row.subscribed_events).map(describeEventType),
    endpoint_secret_key: row.endpoint_secret_key,
    traffic_source: row.traffic_source,
  };
}
