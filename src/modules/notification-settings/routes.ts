import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializeNotificationSetting } from './serialize.js';
import {
  createNotificationSetting,
  deleteNotificationSetting,
  getNotificationSetting,
  listNotificationSettings,
  updateNotificationSetting,
} from './service.js';

export function notificationSettingRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-notification-settings', async ({ ctx, op, query }) => {
    const page = pageRequest(op, query);
    const result = await listNotificationSettings(
      ctx,
      {
        ...(query.active !== undefined ? { active: query.active } : {}),
        ...(query.traffic_source !== undefined ? { traffic_source: query.traffic_source } : {}),
      },
      page,
    );
    return { page: result, data: result.rows.map(serializeNotificationSetting), perPage: page.perPage };
  });

  operation(app, deps, 'create-notification-setting', async ({ ctx, body }) => ({
    data: await createNotificationSetting(ctx, body),
  }));

  operation(app, deps, 'get-notification-setting', async ({ ctx, params }) => ({
    data: await getNotificationSetting(ctx, params.notification_setting_id),
  }));

  operation(app, deps, 'update-notification-setting', async ({ ctx, params, body }) => ({
    data: await updateNotificationSetting(ctx, params.notification_setting_id, body),
  }));

  operation(app, deps, 'delete-notification-setting', async ({ ctx, params }) => {
    await deleteNotificationSetting(ctx, params.notification_setting_id);
    return { noContent: true };
  });
}
