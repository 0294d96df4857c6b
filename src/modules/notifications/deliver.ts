// Delivering notifications: claim (a lease through the database), send, record. Shared by the delivery worker
// (first attempts, as soon as they commit), the due-work runner (retries on the tenant's clock, and anything the
// worker has not taken: the scheduler and the sandbox clock's advance run it) and the deliver-now test helper.
// A crash before recording leaves the lease to expire, and the next claim sends again: at least once. A delivered
// notification is never claimed again (only `not_attempted` and `needs_retry` are claimable).
import { randomUUID } from 'node:crypto';
import { type Ctx, withTransaction } from '../../context.js';
import type { EmailRow, NotificationRow, NotificationSettingRow, Tenant } from '../../db/tables.js';
import { clockStartingAt, WallClock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { instantFromStored, toStoredTime, type Instant } from '../../kernel/time.js';
import { deliver as deliverEmail, keepEmail } from '../emails/service.js';
import type { DueRun, DueWorkRunner } from '../module.js';
import { guardFor } from '../notification-settings/destination.js';
import { findNotificationSetting } from '../notification-settings/service.js';
import {
  countLeasedDue,
  dueCandidates,
  earliestDue,
  insertLog,
  leaseRows,
  pendingCandidates,
  recordAttempt,
  type Claim,
} from './repository.js';
import { retryDelaySeconds } from './retry-schedule.js';
import { postWebhook, type SendOutcome } from './send.js';
import { paddleSignature } from './signature.js';

/**
 * Real time, for leases and signatures: a lease measures how long a worker may take, and a signature's `ts` is
 * checked against the receiver's own clock, whatever a sandbox's clock (running ahead, or frozen) says.
 */
const wallClock = new WallClock();

/** How long a claim holds (wall clock): well beyond the 5-second send limit plus recording. */
export const DEFAULT_LEASE_MS = 30_000;

/** How many attempts run at once: per destination, and in all (one process). */
export interface Concurrency {
  overall: number;
  perDestination: number;
}

export const DEFAULT_CONCURRENCY: Concurrency = { overall: 64, perDestination: 8 };

function claimFrom(leaseMs: number): Claim {
  const wall = wallClock.now();
  return {
    wallNow: toStoredTime(wall),
    leaseUntil: toStoredTime(wall.add({ milliseconds: leaseMs })),
    token: randomUUID(),
  };
}

/** Takes candidates in order, at most `room` per destination (after what `busy` already holds). */
function fairPick<T extends { notification_setting_id: string }>(
  candidates: readonly T[],
  room: number,
  perDestination: number,
  busy: ReadonlyMap<string, number>,
): T[] {
  const taken = new Map<string, number>();
  const picked: T[] = [];
  for (const candidate of candidates) {
    if (picked.length >= room) break;
    const key = candidate.notification_setting_id;
    const load = (busy.get(key) ?? 0) + (taken.get(key) ?? 0);
    if (load >= perDestination) continue;
    taken.set(key, (taken.get(key) ?? 0) + 1);
    picked.push(candidate);
  }
  return picked;
}

/**
 * Leases up to `room` first attempts of any tenant (the worker), leaving out destinations already holding
 * `perDestination` attempts in `busy`. `ctx` supplies the database and the wall clock (its tenant is not used).
 */
export async function claimPending(
  ctx: Ctx,
  room: number,
  concurrency: Concurrency,
  busy: ReadonlyMap<string, number>,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<NotificationRow[]> {
  const claim = claimFrom(leaseMs);
  const full = [...busy].filter(([, count]) => count >= concurrency.perDestination).map(([id]) => id);
  const candidates = await pendingCandidates(ctx.db, claim, full, room * 4);
  const picked = fairPick(candidates, room, concurrency.perDestination, busy);
  const byTenant = new Map<string, { tenant: Tenant; ids: string[] }>();
  for (const row of picked) {
    const key = `${row.seller_id}/${row.environment}`;
    const group = byTenant.get(key) ?? { tenant: { seller_id: row.seller_id, environment: row.environment }, ids: [] };
    group.ids.push(row.id);
    byTenant.set(key, group);
  }
  const leased: NotificationRow[] = [];
  for (const { tenant, ids } of byTenant.values())
    leased.push(...(await leaseRows(ctx.db, ctx.dialect, tenant, ids, claim)));
  return leased;
}

/** Leases up to `limit` of the tenant's notifications due on its clock (first attempts and due retries). */
export async function claimDue(
  ctx: Ctx,
  limit: number,
  concurrency: Concurrency = DEFAULT_CONCURRENCY,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<NotificationRow[]> {
  const claim = claimFrom(leaseMs);
  const candidates = await dueCandidates(ctx.db, ctx.tenant, toStoredTime(ctx.clock.now()), claim, limit * 4);
  const picked = fairPick(candidates, limit, concurrency.perDestination, new Map());
  return leaseRows(
    ctx.db,
    ctx.dialect,
    ctx.tenant,
    picked.map((row) => row.id),
    claim,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the attempt does to the notification: delivered, retried later on the tenant's clock, or failed. */
function afterAttempt(row: NotificationRow, tenant: Tenant, now: Instant, delivered: boolean) {
  const attempts = Number(row.times_attempted) + 1;
  const stored = toStoredTime(now);
  if (delivered)
    return {
      status: 'delivered',
      times_attempted: attempts,
      last_attempt_at: stored,
      retry_at: null,
      delivered_at: stored,
    } as const;
  const wait = retryDelaySeconds(tenant.environment, attempts);
  return wait === undefined
    ? ({
        status: 'failed',
        times_attempted: attempts,
        last_attempt_at: stored,
        retry_at: null,
        delivered_at: null,
      } as const)
    : ({
        status: 'needs_retry',
        times_attempted: attempts,
        last_attempt_at: stored,
        retry_at: toStoredTime(now.add({ seconds: wait })),
        delivered_at: null,
      } as const);
}

/** One attempt, sent and waiting to be recorded: the leased row, its destination as read, and the answer. */
export interface SentAttempt {
  row: NotificationRow;
  setting: NotificationSettingRow | undefined;
  outcome: SendOutcome;
}

function isLive(setting: NotificationSettingRow | undefined): setting is NotificationSettingRow {
  return setting !== undefined && Number(setting.active) === 1;
}

/**
 * Sends one leased notification to its destination (`ctx` is its tenant's); records nothing. A destination deleted
 * or deactivated since the notification was made is not sent to; an email destination is "sent" when recorded.
 */
export async function sendAttempt(
  ctx: Ctx,
  row: NotificationRow,
  setting: NotificationSettingRow | undefined,
): Promise<SentAttempt> {
  if (!isLive(setting))
    return {
      row,
      setting,
      outcome: { status: 0, contentType: null, body: 'destination deleted or inactive: not sent' },
    };
  if (setting.type === 'email')
    return {
      row,
      setting,
      outcome: { status: 200, contentType: 'message/rfc822', body: `kept for ${setting.destination}` },
    };
  const unixSeconds = Math.floor(wallClock.now().epochMilliseconds / 1000);
  const signature = paddleSignature(setting.endpoint_secret_key, unixSeconds, row.payload);
  const guard = guardFor(ctx.config, ctx.tenant.environment);
  return { row, setting, outcome: await postWebhook(setting.destination, row.payload, signature, guard) };
}

/**
 * Records sent attempts of one tenant in one database transaction: each notification's new status and its log, the
 * lease released (an attempt whose lease another worker has since taken is not recorded: that worker sends it
 * again). Email destinations keep their email (GET /test-helpers/emails) here, and go to SMTP after the commit.
 */
export async function recordAttempts(ctx: Ctx, attempts: readonly SentAttempt[]): Promise<void> {
  if (attempts.length === 0) return;
  const emails = await withTransaction(ctx, async (ctx) => {
    const kept: EmailRow[] = [];
    for (const { row, setting, outcome } of attempts) {
      const now = ctx.clock.now();
      const changes = isLive(setting)
        ? afterAttempt(row, ctx.tenant, now, outcome.status >= 200 && outcome.status < 300)
        : ({
            status: 'failed',
            times_attempted: row.times_attempted,
            last_attempt_at: row.last_attempt_at,
            retry_at: null,
            delivered_at: null,
          } as const);
      if (!(await recordAttempt(ctx.db, ctx.tenant, row.id, row.claim_token ?? '', changes))) continue;
      await insertLog(ctx.db, {
        ...ctx.tenant,
        id: newId('notification_log', now.epochMilliseconds),
        notification_id: row.id,
        response_code: outcome.status,
        response_content_type: outcome.contentType,
        response_body: outcome.body,
        attempted_at: toStoredTime(now),
      });
      if (!isLive(setting) || setting.type !== 'email') continue;
      const text = JSON.stringify(JSON.parse(row.payload), null, 2);
      kept.push(
        await keepEmail(ctx, {
          kind: 'notification',
          to: setting.destination,
          subject: `Paddle notification: ${row.type}`,
          text,
          html: `<!doctype html><html><body><pre>${escapeHtml(text)}</pre></body></html>`,
          fromName: EMAIL_SENDER,
        }),
      );
    }
    return kept;
  });
  for (const email of emails) void deliverEmail(ctx, email, EMAIL_SENDER);
}

const EMAIL_SENDER = 'Paddle notifications';

/** Sends one leased notification (`ctx` is its tenant's) and records the attempt with its log. */
export async function attemptDelivery(ctx: Ctx, row: NotificationRow): Promise<void> {
  const setting = await findNotificationSetting(ctx, row.notification_setting_id);
  await recordAttempts(ctx, [await sendAttempt(ctx, row, setting)]);
}

/** Runs `work` on every item, at most `overall` at once and `perDestination` per destination, in order of arrival. */
export async function inPool<T extends { notification_setting_id: string }>(
  items: readonly T[],
  concurrency: Concurrency,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const waiting = [...items];
  const busy = new Map<string, number>();
  const running = new Set<Promise<void>>();
  while (waiting.length > 0 || running.size > 0) {
    const index =
      running.size < concurrency.overall
        ? waiting.findIndex((item) => (busy.get(item.notification_setting_id) ?? 0) < concurrency.perDestination)
        : -1;
    if (index < 0) {
      await Promise.race(running);
      continue;
    }
    const [item] = waiting.splice(index, 1);
    if (!item) continue;
    const key = item.notification_setting_id;
    busy.set(key, (busy.get(key) ?? 0) + 1);
    const task: Promise<void> = work(item).finally(() => {
      busy.set(key, (busy.get(key) ?? 1) - 1);
      running.delete(task);
    });
    running.add(task);
  }
}

/**
 * Leases and attempts up to `limit` of the tenant's notifications due by its clock, each with a clock that reads
 * the instant it fell due (so a retry's next wait counts from its own due instant, however late it runs).
 */
export async function runDueDeliveries(ctx: Ctx, limit: number): Promise<DueRun> {
  const rows = await claimDue(ctx, limit);
  let failed = 0;
  await inPool(rows, DEFAULT_CONCURRENCY, async (row) => {
    const at = clockStartingAt(ctx.clock, instantFromStored(row.retry_at ?? row.created_at));
    try {
      await attemptDelivery({ ...ctx, clock: at }, row);
    } catch {
      // @NOTE the attempt's recording rolled back: its lease expires and it is due again (at least once).
      failed += 1;
    }
  });
  const wallNow = toStoredTime(wallClock.now());
  const busy = rows.length === 0 ? await countLeasedDue(ctx.db, ctx.tenant, toStoredTime(ctx.clock.now()), wallNow) : 0;
  return { done: rows.length - failed, busy, failed, more: rows.length === limit };
}

/** Everything of the tenant due on its clock now, delivered before it returns; the number of attempts made. */
export async function deliverDueNow(ctx: Ctx): Promise<number> {
  let attempted = 0;
  // @NOTE bounded: an attempt moves its row out of "due now" (delivered, failed, or a retry in the future), so each
  // pass makes progress; the bound guards against a clock that stands still.
  for (let batch = 0; batch < 100; batch += 1) {
    const run = await runDueDeliveries(ctx, 200);
    attempted += run.done + run.failed;
    if (!run.more) break;
  }
  return attempted;
}

/** Webhook first attempts and retries, due on the tenant's clock (the scheduler and the sandbox clock's advance). */
export const webhookDeliveries: DueWorkRunner = {
  name: 'webhook deliveries',
  async nextDueAt(ctx, after) {
    const due = await earliestDue(ctx.db, ctx.tenant, after ? toStoredTime(after) : undefined);
    return due === undefined ? undefined : instantFromStored(due);
  },
  runDue: runDueDeliveries,
};
