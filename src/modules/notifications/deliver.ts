// Delivering notifications: claim (a lease through the database), send, record. One claim path (`claimDue`, a
// tenant's due notifications, destination by destination) shared by the delivery worker (every tenant in turn, as
// soon as work is due), the due-work runner (the sandbox clock's advance, in time order with everything else) and
// the deliver-now test helper. A crash before recording leaves the lease to expire, and the next claim sends again:
// at least once. A delivered or failed notification is never claimed again (its `due_at` is null).
import { randomUUID } from 'node:crypto';
import { type Ctx, withTransaction } from '../../context.js';
import type { EmailRow, NotificationRow, NotificationSettingRow, Tenant } from '../../db/tables.js';
import { clockStartingAt, WallClock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { instantFromStored, toStoredTime, type Instant } from '../../kernel/time.js';
import { deliver as deliverEmail, keepEmail } from '../emails/service.js';
import type { DueRun, DueWorkRunner } from '../module.js';
import { guardFor } from '../notification-settings/destination.js';
import { findNotificationSettings } from '../notification-settings/service.js';
import {
  countLeasedDue,
  destinationsWithWork,
  earliestDue,
  insertLogs,
  leaseDue,
  recordAttempts as recordRows,
  type AttemptChanges,
  type Claim,
} from './repository.js';
import { retryDelaySeconds } from './retry-schedule.js';
import { postWebhook, targetOf, type SendOutcome, type Target } from './send.js';
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

/**
 * @NOTE 32 per destination: the batches a busy destination is claimed and recorded in are up to half of it, and
 * their size sets the cost per delivery (0.38 ms of CPU at 16, about 0.25 ms at 32: BENCHMARKS.md); a receiver
 * that handles one webhook at a time still answers the 32nd within 5 s when each takes under 150 ms.
 */
export const DEFAULT_CONCURRENCY: Concurrency = { overall: 128, perDestination: 32 };

/** Destinations looked at per claim (ten may be active; deleted or inactive ones may still hold work). */
const DESTINATIONS_PER_CLAIM = 100;

/** A notification leased for one attempt, with its destination as read when it was claimed. */
export interface Leased {
  row: NotificationRow;
  /** Undefined when the destination was deleted since the notification was made. */
  setting: NotificationSettingRow | undefined;
}

function claimFrom(leaseMs: number): Claim {
  const wall = wallClock.now();
  return {
    wallNow: toStoredTime(wall),
    leaseUntil: toStoredTime(wall.add({ milliseconds: leaseMs })),
    token: randomUUID(),
  };
}

/**
 * The one claim path: leases up to `room` of the tenant's notifications due by its clock (`ctx.clock`: first
 * attempts and retries whose time has come), destination by destination, each destination up to its free slots
 * (`perDestination` less what `busy` says it holds). A destination already busy is only given work when half its
 * slots are free, so a steady stream costs one claim per many deliveries. Answers the leased rows with their
 * destinations (one read for all of them).
 */
export async function claimDue(
  ctx: Ctx,
  room: number,
  concurrency: Concurrency,
  busy: ReadonlyMap<string, number>,
  leaseMs = DEFAULT_LEASE_MS,
): Promise<Leased[]> {
  if (room <= 0) return [];
  const claim = claimFrom(leaseMs);
  const tenantNow = toStoredTime(ctx.clock.now());
  const rows: NotificationRow[] = [];
  for (const settingId of await destinationsWithWork(ctx.db, ctx.tenant, DESTINATIONS_PER_CLAIM)) {
    const held = busy.get(settingId) ?? 0;
    const free = concurrency.perDestination - held;
    if (free <= 0 || (held > 0 && free < concurrency.perDestination / 2)) continue;
    const take = Math.min(free, room - rows.length);
    rows.push(...(await leaseDue(ctx.db, ctx.dialect, ctx.tenant, settingId, tenantNow, claim, take)));
    if (rows.length >= room) break;
  }
  if (rows.length === 0) return [];
  const settings = await findNotificationSettings(ctx, [...new Set(rows.map((row) => row.notification_setting_id))]);
  return rows.map((row) => ({ row, setting: settings.get(row.notification_setting_id) }));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the attempt does to the notification: delivered, retried later on the tenant's clock, or failed. */
function afterAttempt(row: NotificationRow, tenant: Tenant, now: Instant, delivered: boolean): AttemptChanges {
  const attempts = Number(row.times_attempted) + 1;
  const stored = toStoredTime(now);
  const wait = delivered ? undefined : retryDelaySeconds(tenant.environment, attempts);
  const retryAt = wait === undefined ? null : toStoredTime(now.add({ seconds: wait }));
  return {
    status: delivered ? 'delivered' : retryAt ? 'needs_retry' : 'failed',
    times_attempted: attempts,
    last_attempt_at: stored,
    retry_at: retryAt,
    delivered_at: delivered ? stored : null,
    due_at: retryAt,
  };
}

/** One attempt, sent and waiting to be recorded: the leased row, its destination, the answer, and when. */
export interface SentAttempt extends Leased {
  outcome: SendOutcome;
  /** The instant to record it at (tenant's clock); by default, the recording's own now. */
  at?: Instant;
}

function isLive(setting: NotificationSettingRow | undefined): setting is NotificationSettingRow {
  return setting !== undefined && Number(setting.active) === 1;
}

/** Each destination row's target, worked out once (the rows are read once per claim). */
const targets = new WeakMap<NotificationSettingRow, Target>();

function targetFor(ctx: Ctx, setting: NotificationSettingRow): Target {
  let target = targets.get(setting);
  if (!target) {
    target = targetOf(setting.destination, guardFor(ctx.config, ctx.tenant.environment));
    targets.set(setting, target);
  }
  return target;
}

/**
 * Sends one leased notification to its destination (`ctx` is its tenant's); records nothing. A destination deleted
 * or deactivated since the notification was made is not sent to; an email destination is "sent" when recorded.
 * The stored payload is the body, sent as it is and signed once per attempt (the signature carries the time).
 */
export async function sendAttempt(ctx: Ctx, { row, setting }: Leased): Promise<SentAttempt> {
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
  return { row, setting, outcome: await postWebhook(targetFor(ctx, setting), row.payload, signature) };
}

function changesOf(attempt: SentAttempt, tenant: Tenant, now: Instant): AttemptChanges {
  const { row, setting, outcome } = attempt;
  if (isLive(setting)) return afterAttempt(row, tenant, now, outcome.status >= 200 && outcome.status < 300);
  return {
    status: 'failed',
    times_attempted: row.times_attempted,
    last_attempt_at: row.last_attempt_at,
    retry_at: null,
    delivered_at: null,
    due_at: null,
  };
}

/**
 * Records sent attempts of one tenant in one database transaction: each notification's new status, the lease
 * released, and its log; attempts that change their rows alike (a burst delivered at once) share one statement.
 * An attempt whose lease another worker has since taken is not recorded: that worker sends it again. Email
 * destinations keep their email (GET /test-helpers/emails) here, and go to SMTP after the commit.
 */
export async function recordAttempts(ctx: Ctx, attempts: readonly SentAttempt[]): Promise<void> {
  if (attempts.length === 0) return;
  const emails = await withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const groups = new Map<string, { token: string; changes: AttemptChanges; attempts: SentAttempt[] }>();
    for (const attempt of attempts) {
      const changes = changesOf(attempt, ctx.tenant, attempt.at ?? now);
      const token = attempt.row.claim_token ?? '';
      const key = JSON.stringify([token, changes]);
      const group = groups.get(key) ?? { token, changes, attempts: [] };
      group.attempts.push(attempt);
      groups.set(key, group);
    }
    const recorded: SentAttempt[] = [];
    for (const { token, changes, attempts: alike } of groups.values()) {
      const ids = new Set(
        await recordRows(
          ctx.db,
          ctx.tenant,
          alike.map((attempt) => attempt.row.id),
          token,
          changes,
        ),
      );
      recorded.push(...alike.filter((attempt) => ids.has(attempt.row.id)));
    }
    await insertLogs(
      ctx.db,
      recorded.map(({ row, outcome, at }) => {
        const attemptedAt = at ?? now;
        return {
          ...ctx.tenant,
          id: newId('notification_log'),
          notification_id: row.id,
          response_code: outcome.status,
          response_content_type: outcome.contentType,
          response_body: outcome.body,
          attempted_at: toStoredTime(attemptedAt),
        };
      }),
    );
    const kept: EmailRow[] = [];
    for (const { row, setting } of recorded) {
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

/** Runs `work` on every item, at most `overall` at once and `perDestination` per destination, in order of arrival. */
export async function inPool<T extends { row: { notification_setting_id: string } }>(
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
        ? waiting.findIndex((item) => (busy.get(item.row.notification_setting_id) ?? 0) < concurrency.perDestination)
        : -1;
    if (index < 0) {
      await Promise.race(running);
      continue;
    }
    const [item] = waiting.splice(index, 1);
    if (!item) continue;
    const key = item.row.notification_setting_id;
    busy.set(key, (busy.get(key) ?? 0) + 1);
    const task: Promise<void> = work(item).finally(() => {
      busy.set(key, (busy.get(key) ?? 1) - 1);
      running.delete(task);
    });
    running.add(task);
  }
}

/**
 * Leases and attempts up to `limit` of the tenant's notifications due by its clock, each recorded at the instant it
 * fell due (so a retry's next wait counts from its own due instant, however late it runs); one recording for all.
 */
export async function runDueDeliveries(ctx: Ctx, limit: number): Promise<DueRun> {
  const leased = await claimDue(ctx, limit, DEFAULT_CONCURRENCY, new Map());
  const sent: SentAttempt[] = [];
  await inPool(leased, DEFAULT_CONCURRENCY, async (item) => {
    const at = clockStartingAt(ctx.clock, instantFromStored(item.row.due_at ?? item.row.created_at));
    sent.push({ ...(await sendAttempt({ ...ctx, clock: at }, item)), at: at.now() });
  });
  let failed = 0;
  try {
    await recordAttempts(ctx, sent);
  } catch {
    // @NOTE the recording rolled back: the leases expire and the attempts are due again (at least once).
    failed = sent.length;
  }
  const wallNow = toStoredTime(wallClock.now());
  const busy =
    leased.length === 0 ? await countLeasedDue(ctx.db, ctx.tenant, toStoredTime(ctx.clock.now()), wallNow) : 0;
  return { done: leased.length - failed, busy, failed, more: leased.length > 0 };
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

/**
 * Webhook first attempts and retries, due on the tenant's clock. A server's delivery worker runs them as they fall
 * due (`ownWorker`: the scheduler leaves them to it); the sandbox clock's advance runs them in time order with
 * every other runner's work.
 */
export const webhookDeliveries: DueWorkRunner = {
  name: 'webhook deliveries',
  ownWorker: true,
  async nextDueAt(ctx, after) {
    const due = await earliestDue(ctx.db, ctx.tenant, after ? toStoredTime(after) : undefined);
    return due === undefined ? undefined : instantFromStored(due);
  },
  runDue: runDueDeliveries,
};
