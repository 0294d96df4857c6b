import { jsonColumn } from '../../db/json.js';

/** `notification_settings.subscribed_events`: the event names the destination receives. */
export const subscribedEventsColumn = jsonColumn<string[]>();
