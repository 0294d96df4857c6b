// Notification settings (Paddle's notification destinations): where a tenant's events are delivered, as webhooks
// to a URL or as emails. At most ten are active per environment (Paddle's limit); each URL destination has its
// own `endpoint_secret_key`, the key its webhooks are signed with. Paddle: developer.paddle.com/webhooks/notification-destinations
import { randomBytes } from 'node:crypto';
import { type Ctx, oncePerBatch, withTransaction } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { NotificationSettingRow } from '../../db/tables.js';
import { PaddleError, invalidField, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import type { OperationBody } from '../../spec/operations.js';
import { subscribedEventsColumn } from './columns.js';
import { emailProblem, guardFor, urlProblem } from './destination.js';
import {
  activeSettings as activeRows,
  deleteSetting,
  findSettings,
  findSetting,
  insertSetting,
  listSettings as listRows,
  settingsWithDestination,
  updateSetting,
  type SettingFilters,
} from './repository.js';
import { serializeNotificationSetting } from './serialize.js';

/** create-notification-setting's body: type, description, destination, subscribed_events (names); the rest optional. */
export type CreateSettingInput = OperationBody<'create-notification-setting'>;
/** update-notification-setting's body: any field; `subscribed_events` replaces the list. */
export type UpdateSettingInput = OperationBody<'update-notification-setting'>;

/** Paddle: "Only ten notification settings may be active at once" (per environment). */
export const MAX_ACTIVE_SETTINGS = 10;

/** The API versions Paddock serves event payloads in. */
const API_VERSIONS = [1];

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alphanumeric(length: number): string {
  // @NOTE 248 is the largest multiple of 62 below 256: bytes above it are dropped so every character is as likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

/** `pdl_ntfset_` + the setting's 26 id characters + `_` + 32 random characters (Paddle's pattern). */
function newSecret(settingId: string): string {
  return `pdl_ntfset_${settingId.slice('ntfset_'.length)}_${alphanumeric(32)}`;
}

function checkDestination(ctx: Ctx, type: 'email' | 'url', destination: string): void {
  const problem =
    type === 'email'
      ? emailProblem(destination)
      : urlProblem(destination, guardFor(ctx.config, ctx.tenant.environment));
  if (problem) throw invalidField([{ field: 'destination', message: problem }]);
}

function checkApiVersion(apiVersion: number | undefined): void {
  if (apiVersion !== undefined && !API_VERSIONS.includes(apiVersion))
    throw invalidField([{ field: 'api_version', message: `must be one of ${API_VERSIONS.join(', ')}` }]);
}

async function assertActiveRoom(ctx: Ctx, exceptId?: string): Promise<void> {
  const active = (await activeRows(ctx.db, ctx.tenant)).filter((row) => row.id !== exceptId);
  if (active.length >= MAX_ACTIVE_SETTINGS)
    throw new PaddleError(
      'notification_maximum_active_settings_reached',
      `You can have at most ${MAX_ACTIVE_SETTINGS} active notification settings; deactivate one first.`,
    );
}

/** Paddle refuses a second destination with the same type, destination and traffic source. */
async function assertNotDuplicate(
  ctx: Ctx,
  row: Pick<NotificationSettingRow, 'type' | 'destination' | 'traffic_source'>,
  exceptId?: string,
) {
  const same = await settingsWithDestination(ctx.db, ctx.tenant, row.type, row.destination);
  if (same.some((other) => other.id !== exceptId && other.traffic_source === row.traffic_source))
    throw new PaddleError('notification_setting_cannot_be_duplicate');
}

async function getRow(ctx: Ctx, id: string): Promise<NotificationSettingRow> {
  const row = await findSetting(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  return row;
}

export async function getNotificationSetting(ctx: Ctx, id: string) {
  return serializeNotificationSetting(await getRow(ctx, id));
}

export async function listNotificationSettings(ctx: Ctx, filters: SettingFilters, page: PageRequest) {
  return listRows(ctx.db, ctx.tenant, filters, page);
}

/** Creates an active destination (201). Throws `invalid_field`, `notification_maximum_active_settings_reached`, `notification_setting_cannot_be_duplicate`. */
export async function createNotificationSetting(ctx: Ctx, input: CreateSettingInput) {
  checkDestination(ctx, input.type, input.destination);
  checkApiVersion(input.api_version);
  return withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const id = newId('notification_setting');
    const row: NotificationSettingRow = {
      ...ctx.tenant,
      id,
      description: input.description,
      type: input.type,
      destination: input.destination,
      active: 1,
      api_version: input.api_version ?? 1,
      include_sensitive_fields: input.include_sensitive_fields ? 1 : 0,
      subscribed_events: subscribedEventsColumn.encode([...new Set(input.subscribed_events)]),
      endpoint_secret_key: newSecret(id),
      traffic_source: input.traffic_source ?? 'platform',
      created_at: toStoredTime(now),
      updated_at: toStoredTime(now),
    };
    await assertActiveRoom(ctx);
    await assertNotDuplicate(ctx, row);
    await insertSetting(ctx.db, row);
    forgetActiveSettings(ctx);
    return serializeNotificationSetting(row);
  });
}

/** Changes the given fields; `subscribed_events` replaces the list. Same refusals as create. */
export async function updateNotificationSetting(ctx: Ctx, id: string, input: UpdateSettingInput) {
  checkApiVersion(input.api_version);
  return withTransaction(ctx, async (ctx) => {
    const before = await getRow(ctx, id);
    if (input.destination !== undefined) checkDestination(ctx, before.type, input.destination);
    const after: NotificationSettingRow = {
      ...before,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.destination !== undefined ? { destination: input.destination } : {}),
      ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
      ...(input.api_version !== undefined ? { api_version: input.api_version } : {}),
      ...(input.include_sensitive_fields !== undefined
        ? { include_sensitive_fields: input.include_sensitive_fields ? 1 : 0 }
        : {}),
      ...(input.subscribed_events !== undefined
        ? { subscribed_events: subscribedEventsColumn.encode([...new Set(input.subscribed_events)]) }
        : {}),
      ...(input.traffic_source !== undefined ? { traffic_source: input.traffic_source } : {}),
      updated_at: toStoredTime(ctx.clock.now()),
    };
    if (Number(after.active) === 1 && Number(before.active) !== 1) await assertActiveRoom(ctx, id);
    if (after.destination !== before.destination || after.traffic_source !== before.traffic_source)
      await assertNotDuplicate(ctx, after, id);
    const { seller_id: _seller, environment: _environment, id: _id, ...changes } = after;
    await updateSetting(ctx.db, ctx.tenant, id, changes);
    forgetActiveSettings(ctx);
    return serializeNotificationSetting(after);
  });
}

/** Deletes the destination (204). Its notifications stay listed but are never sent again; Paddle advises deactivating instead. */
export async function deleteNotificationSetting(ctx: Ctx, id: string): Promise<void> {
  await getRow(ctx, id);
  await deleteSetting(ctx.db, ctx.tenant, id);
  forgetActiveSettings(ctx);
}

/**
 * The active settings read in a database transaction still open, by its handle and then by tenant. @NOTE a plain
 * request transaction records several events (paying for a subscription records nine), each of which matched them
 * against a fresh read; nothing in a transaction that records events changes them, and the writes below forget
 * what their own transaction read. The handle is dropped with its transaction, and its entry with it.
 */
const readInTransaction = new WeakMap<object, Map<string, Promise<NotificationSettingRow[]>>>();

function forgetActiveSettings(ctx: Ctx): void {
  readInTransaction.delete(ctx.db);
}

/** The tenant's active destinations, for matching recorded events (a reaction inside the event's transaction). */
export async function activeNotificationSettings(ctx: Ctx): Promise<NotificationSettingRow[]> {
  // @NOTE read once per batch transaction (a batch of renewals records hundreds of events; no unit changes these),
  // and once per plain transaction.
  return oncePerBatch(ctx, 'active-notification-settings', () => {
    if (!ctx.db.isTransaction) return activeRows(ctx.db, ctx.tenant);
    let byTenant = readInTransaction.get(ctx.db);
    if (!byTenant) {
      byTenant = new Map();
      readInTransaction.set(ctx.db, byTenant);
    }
    const key = `${ctx.tenant.seller_id}/${ctx.tenant.environment}`;
    let rows = byTenant.get(key);
    if (!rows) {
      const read = activeRows(ctx.db, ctx.tenant);
      const kept = byTenant;
      read.catch(() => kept.delete(key));
      byTenant.set(key, read);
      rows = read;
    }
    return rows;
  });
}

/** One setting of the tenant, or undefined (it may have been deleted since a notification was made). */
export async function findNotificationSetting(ctx: Ctx, id: string): Promise<NotificationSettingRow | undefined> {
  return findSetting(ctx.db, ctx.tenant, id);
}

/** The tenant's settings with these ids, by id (one read; a deleted one is missing). */
export async function findNotificationSettings(
  ctx: Ctx,
  ids: readonly string[],
): Promise<Map<string, NotificationSettingRow>> {
  return new Map((await findSettings(ctx.db, ctx.tenant, ids)).map((row) => [row.id, row]));
}

/** The event types a setting row subscribes to, decoded once per row (a transaction's rows serve all its events). */
const subscribedByRow = new WeakMap<NotificationSettingRow, ReadonlySet<string>>();

/** Whether the destination receives events of this type. */
export function subscribesTo(setting: NotificationSettingRow, eventType: string): boolean {
  let subscribed = subscribedByRow.get(setting);
  if (!subscribed) {
    subscribed = new Set(subscribedEventsColumn.decode(setting.subscribed_events));
    subscribedByRow.set(setting, subscribed);
  }
  return subscribed.has(eventType);
}
