// The webhook delivery worker: claims first attempts of every tenant as soon as they commit (leased through the
// database, so any number of Paddock processes share the work), sends them with bounded concurrency (overall and
// per destination, so one dead receiver holds at most its own slots), and records each attempt. Retries fall due
// on each tenant's clock and are run by the notifications module's due work (the scheduler, the clock advance).
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Db, Dialect } from '../db/database.js';
import { tenantClock, type Clock, type ClockState } from '../kernel/clock.js';
import type { Wiring } from '../modules/module.js';
import { findNotificationSetting } from '../modules/notification-settings/service.js';
import type { NotificationSettingRow } from '../db/tables.js';
import {
  claimPending,
  recordAttempts,
  sendAttempt,
  type SentAttempt,
  DEFAULT_CONCURRENCY,
  DEFAULT_LEASE_MS,
  type Concurrency,
} from '../modules/notifications/deliver.js';
import { tenantClocks } from '../modules/sellers/service.js';

export interface NotificationWorkerDeps {
  db: Db;
  dialect: Dialect;
  wallClock: Clock;
  config: Config;
  wiring: Wiring;
  /** How long to wait when nothing is pending (the worst-case delay from commit to first attempt). */
  pollMs: number;
  concurrency?: Concurrency;
  leaseMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface RunningWorker {
  /** Stops claiming and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

export function startNotificationWorker(deps: NotificationWorkerDeps): RunningWorker {
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const busy = new Map<string, number>();
  const sending = new Set<Promise<void>>();
  /** Sent attempts waiting to be recorded, with their tenant's context. */
  let sent: Array<{ ctx: Ctx; attempt: SentAttempt }> = [];
  let recording: Promise<void> = Promise.resolve();
  let flushQueued = false;
  let stopped = false;
  let wake: (() => void) | undefined;

  const baseCtx: Ctx = {
    db: deps.db,
    dialect: deps.dialect,
    clock: deps.wallClock,
    tenant: { seller_id: '', environment: 'sandbox' },
    config: deps.config,
    wiring: deps.wiring,
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Records what was sent so far: one transaction per tenant (attempts of a burst share their commit). */
  function flush(): void {
    flushQueued = false;
    const batch = sent;
    sent = [];
    recording = recording.then(async () => {
      const byTenant = new Map<string, Array<{ ctx: Ctx; attempt: SentAttempt }>>();
      for (const item of batch) {
        const key = `${item.ctx.tenant.seller_id}/${item.ctx.tenant.environment}`;
        byTenant.set(key, [...(byTenant.get(key) ?? []), item]);
      }
      for (const items of byTenant.values()) {
        try {
          await recordAttempts(
            items[0]!.ctx,
            items.map((item) => item.attempt),
          );
        } catch (error) {
          deps.log?.('recording webhook attempts failed; their leases expire and they are sent again', error);
        }
      }
    });
  }

  async function pass(): Promise<number> {
    const room = concurrency.overall - sending.size;
    // @NOTE claim in batches (a quarter of the slots at least) so a busy worker does not pay a claim per delivery.
    if (room <= 0 || (sending.size > 0 && room < concurrency.overall / 4)) return 0;
    const rows = await claimPending(baseCtx, room, concurrency, busy, leaseMs);
    if (rows.length === 0) return 0;
    const clocks = new Map<string, ClockState>(
      (await tenantClocks(deps.db)).map(({ tenant, ...state }) => [`${tenant.seller_id}/${tenant.environment}`, state]),
    );
    const settings = new Map<string, NotificationSettingRow | undefined>();
    for (const row of rows) {
      const tenantKey = `${row.seller_id}/${row.environment}`;
      const ctx: Ctx = {
        ...baseCtx,
        tenant: { seller_id: row.seller_id, environment: row.environment },
        clock: tenantClock(deps.wallClock, clocks.get(tenantKey) ?? { clockOffsetMicros: 0n, clockFrozenAt: null }),
      };
      const settingKey = `${tenantKey}/${row.notification_setting_id}`;
      if (!settings.has(settingKey))
        settings.set(settingKey, await findNotificationSetting(ctx, row.notification_setting_id));
      const key = row.notification_setting_id;
      busy.set(key, (busy.get(key) ?? 0) + 1);
      const task: Promise<void> = sendAttempt(ctx, row, settings.get(settingKey))
        .then((attempt) => {
          sent.push({ ctx, attempt });
          if (!flushQueued) {
            flushQueued = true;
            setImmediate(flush);
          }
        })
        .catch((error: unknown) => deps.log?.(`webhook ${row.id} could not be sent; its lease will expire`, error))
        .finally(() => {
          const left = (busy.get(key) ?? 1) - 1;
          if (left > 0) busy.set(key, left);
          else busy.delete(key);
          sending.delete(task);
          wake?.();
        });
      sending.add(task);
    }
    return rows.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await pass();
      } catch (error) {
        deps.log?.('claiming webhooks failed; trying again', error);
      }
      // @NOTE a full claim may have left more waiting: look again at once; otherwise wait for a slot or the poll.
      if (claimed === 0 && !stopped) await sleep(deps.pollMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(sending);
      flush();
      await recording;
    },
  };
}
