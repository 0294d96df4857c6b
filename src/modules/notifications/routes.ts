import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, testHelper, type ServerDeps } from '../../http/operation.js';
import { deliverDueNow } from './deliver.js';
import { serializeNotification, serializeNotificationLog } from './serialize.js';
import {
  getNotificationRow,
  listNotificationLogs,
  listNotifications,
  replayNotification,
  webhookSourceAddresses,
} from './service.js';

export function notificationRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-notifications', async ({ ctx, op, query }) => {
    const page = pageRequest(op, query);
    const result = await listNotifications(ctx, query, page);
    return { page: result, data: result.rows.map(serializeNotification), perPage: page.perPage };
  });

  operation(app, deps, 'get-notification', async ({ ctx, params }) => ({
    data: serializeNotification(await getNotificationRow(ctx, params.notification_id)),
  }));

  operation(app, deps, 'list-notification-logs', async ({ ctx, op, params, query }) => {
    const page = pageRequest(op, query);
    const result = await listNotificationLogs(ctx, params.notification_id, page);
    return { page: result, data: result.rows.map(serializeNotificationLog), perPage: page.perPage };
  });

  operation(app, deps, 'replay-notification', async ({ ctx, params }) => ({
    data: await replayNotification(ctx, params.notification_id),
  }));

  operation(app, deps, 'get-ip-addresses', async ({ ctx }) => ({ data: webhookSourceAddresses(ctx) }));

  // Paddock's own: delivers now whatever of the key's sandbox is due (first attempts, and retries due on its
  // clock), without waiting for the worker; answers once every attempt is recorded.
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/notifications/deliver',
    async ({ ctx }) => ({ data: { attempted: await deliverDueNow(ctx) } }),
    { permissions: ['notification.write'] },
  );
}
