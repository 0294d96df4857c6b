// The notifications module's entry: webhook notifications made for every recorded event (a reaction in the
// event's transaction), their delivery on the tenant's clock, their 90-day retention, and the notifications API (see
// ../module.ts).
import type { PaddockModule } from '../module.js';
import { notifyDestinations } from './create.js';
import { webhookDeliveries } from './deliver.js';
import { notificationRetention } from './retention.js';
import { notificationRoutes } from './routes.js';

export const notificationsModule: PaddockModule = {
  name: 'notifications',
  routes: notificationRoutes,
  dueWork: [webhookDeliveries, notificationRetention],
  reactions: { eventRecorded: [notifyDestinations] },
};
