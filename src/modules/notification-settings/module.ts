// The notification-settings module's entry: Paddle's notification destinations (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { notificationSettingRoutes } from './routes.js';

export const notificationSettingsModule: PaddockModule = {
  name: 'notification-settings',
  routes: notificationSettingRoutes,
};
