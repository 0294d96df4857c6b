// The notifications module's entry: webhook notifications made for every recorded event (a reaction in the
// event's transaction), their delivery retries on the tenant's clock, and the notifications API (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { notifyDestinations } from './create.js';
import { webhookDeliveries } from './deliver.js';
import { notificationRoutes } from './routes.js';

export const notificationsModule: PaddockModule = {
  name: 'notifications',
  routes: notificationRoutes,
  dueWork: [webhookDeliveries],
  reactions: { eventRecorded: [notifyDestinations] },
};
