// Notifications as the API shows them (Paddle: developer.paddle.com/api-reference/notifications): list with every
// filter, get, logs, and replay. Kept answerable for 90 days on the tenant's clock, as events are.
import { type Ctx, withTransaction } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { NotificationStatus } from '../../db/tables.js';
import { PaddleError, invalidField, notFound } from '../../kernel/errors.js';
import { storedFromRfc3339, toStoredTime } from '../../kernel/time.js';
import type { OperationQuery } from '../../spec/operations.js';
import { RETENTION_DAYS } from '../events/service.js';
import { findNotificationSetting } from '../notification-settings/service.js';
import { newNotification } from './create.js';
import {
  findNotification,
  insertNotification,
  listLogs,
  listNotifications as listRows,
  markReplayed,
} from './repository.js';

type ListQuery = OperationQuery<'list-notifications'>;

function since(ctx: Ctx): string {
  return toStoredTime(ctx.clock.now().subtract({ hours: RETENTION_DAYS * 24 }));
}

function storedTime(field: 'from' | 'to', value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // @NOTE Paddle's own example omits the zone ("2023-04-18T17:03:26"): read such a time as UTC.
  const stored = storedFromRfc3339(/(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`);
  if (!stored) throw invalidField([{ field, message: 'must be an RFC 3339 date-time' }]);
  return stored;
}

/** The tenant's notifications of the last 90 days matching `query`'s filters, keyset-paged by id. */
export async function listNotifications(ctx: Ctx, query: ListQuery, page: PageRequest) {
  const from = storedTime('from', query.from);
  const to = storedTime('to', query.to);
  return listRows(
    ctx.db,
    ctx.tenant,
    {
      since: since(ctx),
      ...(query.notification_setting_id ? { notificationSettingIds: query.notification_setting_id } : {}),
      ...(query.status ? { statuses: query.status as NotificationStatus[] } : {}),
      ...(query.search ? { search: query.search } : {}),
      ...(query.filter ? { containsId: query.filter } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    },
    page,
  );
}

async function getRow(ctx: Ctx, id: string) {
  const row = await findNotification(ctx.db, ctx.tenant, id);
  if (!row || row.occurred_at < since(ctx)) throw notFound(id);
  return row;
}

export { getRow as getNotificationRow };

export async function listNotificationLogs(ctx: Ctx, id: string, page: PageRequest) {
  await getRow(ctx, id);
  return listLogs(ctx.db, ctx.tenant, id, page);
}

/**
 * Replays a delivered or failed notification of origin `event`: a new notification (origin `replay`) of the same
 * event for the same destination, sent by the worker; answers its id. Throws `notification_replay_invalid_origin_type`
 * for a replay, `notification_cannot_replay` for one still pending, older than 90 days or whose destination is gone.
 */
export async function replayNotification(ctx: Ctx, id: string): Promise<{ notification_id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const row = await findNotification(ctx.db, ctx.tenant, id);
    if (!row) throw notFound(id);
    if (row.origin !== 'event') throw new PaddleError('notification_replay_invalid_origin_type');
    if (row.status !== 'delivered' && row.status !== 'failed')
      throw new PaddleError('notification_cannot_replay', 'Only delivered or failed notifications can be replayed.');
    if (row.occurred_at < since(ctx))
      throw new PaddleError('notification_cannot_replay', 'Notifications older than 90 days cannot be replayed.');
    if (!(await findNotificationSetting(ctx, row.notification_setting_id)))
      throw new PaddleError('notification_cannot_replay', 'The notification setting no longer exists.');
    const payload = JSON.parse(row.payload) as { data: unknown };
    const replay = newNotification(
      ctx,
      { id: row.event_id, eventType: row.type, occurredAt: row.occurred_at, data: payload.data },
      row.notification_setting_id,
      'replay',
    );
    await insertNotification(ctx.db, replay);
    await markReplayed(ctx.db, ctx.tenant, row.id, toStoredTime(ctx.clock.now()));
    return { notification_id: replay.id };
  });
}

/** Paddle's webhook source addresses (developer.paddle.com/webhooks/webhook-ip-addresses), per environment. */
const WEBHOOK_IPS = {
  sandbox: ['34.194.127.46', '54.234.237.108', '3.208.120.145', '44.226.236.210', '44.241.183.62', '100.20.172.113'],
  live: ['34.232.58.13', '34.195.105.136', '34.237.3.244', '35.155.119.135', '52.11.166.252', '34.212.5.7'],
} as const;

/** `GET /ips`: the addresses Paddle sends webhooks from in the key's environment, as /32 CIDRs. */
export function webhookSourceAddresses(ctx: Ctx): { ipv4_cidrs: string[] } {
  return { ipv4_cidrs: WEBHOOK_IPS[ctx.tenant.environment].map((ip) => `${ip}/32`) };
}
