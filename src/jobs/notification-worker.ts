// The webhook delivery worker: claims every tenant's due notifications (first attempts as soon as they commit,
// retries when they fall due on the tenant's clock) through the notifications module's one claim path, leased
// through the database so any number of Paddock processes share the work; sends them with bounded concurrency
// (overall and per destination, so one dead receiver holds at most its own slots); records attempts in batches.
// Tenants are served in turn (each pass starts after the tenant the previous pass stopped at), and every claim
// reads one tenant's rows by an index that leads with the tenant key.
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Db, Dialect } from '../db/database.js';
import { tenantClock, type Clock } from '../kernel/clock.js';
import type { Wiring } from '../modules/module.js';
import {
  claimDue,
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
  /** How long to wait when nothing is due (the worst-case delay from commit to first attempt). */
  pollMs: number;
  concurrency?: Concurrency;
  leaseMs?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface RunningWorker {
  /** Stops claiming and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

function tenantKey(ctx: Ctx): string {
  return `${ctx.tenant.seller_id}/${ctx.tenant.environment}`;
}

export function startNotificationWorker(deps: NotificationWorkerDeps): RunningWorker {
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  /** Attempts in flight by destination id. */
  const busy = new Map<string, number>();
  const sending = new Set<Promise<void>>();
  /** Sent attempts waiting to be recorded, with their tenant's context. */
  let sent: Array<{ ctx: Ctx; attempt: SentAttempt }> = [];
  let recorder: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  /** Slots were freed since the current pass began: the next wait ends at once. */
  let signalled = false;
  /** The tenant that used up the slots last (`seller/environment`): the next pass starts after it. */
  let stoppedAt = '';

  const signal = () => {
    signalled = true;
    wake?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (signalled) return resolve();
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Records a batch: one transaction per tenant. */
  async function recordBatch(batch: Array<{ ctx: Ctx; attempt: SentAttempt }>): Promise<void> {
    const byTenant = new Map<string, { ctx: Ctx; attempts: SentAttempt[] }>();
    for (const { ctx, attempt } of batch) {
      const group = byTenant.get(tenantKey(ctx)) ?? { ctx, attempts: [] };
      group.attempts.push(attempt);
      byTenant.set(tenantKey(ctx), group);
    }
    for (const { ctx, attempts } of byTenant.values()) {
      try {
        await recordAttempts(ctx, attempts);
      } catch (error) {
        deps.log?.('recording webhook attempts failed; their leases expire and they are sent again', error);
      }
    }
  }

  /**
   * Records what was sent, in batches: while one batch is being recorded the next gathers, so a busy worker pays
   * one transaction per many attempts and an idle one records each at once.
   */
  function record(): void {
    if (recorder) return;
    recorder = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      while (sent.length > 0) {
        const batch = sent;
        sent = [];
        await recordBatch(batch);
      }
    })().finally(() => {
      recorder = undefined;
      if (sent.length > 0) record();
    });
  }

  /** A destination's slots freed: look again when half of them are free, or when it has none in flight. */
  function release(settingId: string): void {
    const left = (busy.get(settingId) ?? 1) - 1;
    if (left > 0) busy.set(settingId, left);
    else busy.delete(settingId);
    if (left === 0 || left === Math.floor(concurrency.perDestination / 2)) signal();
    else if (sending.size === Math.floor(concurrency.overall / 2)) signal();
  }

  function start(ctx: Ctx, item: Parameters<typeof sendAttempt>[1]): void {
    const key = item.row.notification_setting_id;
    busy.set(key, (busy.get(key) ?? 0) + 1);
    const task: Promise<void> = sendAttempt(ctx, item)
      .then((attempt) => {
        sent.push({ ctx, attempt });
        record();
      })
      .catch((error: unknown) => deps.log?.(`webhook ${item.row.id} could not be sent; its lease will expire`, error))
      .finally(() => {
        sending.delete(task);
        release(key);
      });
    sending.add(task);
  }

  /** One round over the tenants, from where the last one stopped, while slots are free; answers how many it took. */
  async function pass(): Promise<number> {
    let room = concurrency.overall - sending.size;
    if (room <= 0) return 0;
    const tenants = (await tenantClocks(deps.db))
      .map((state) => ({ key: `${state.tenant.seller_id}/${state.tenant.environment}`, state }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const after = tenants.findIndex(({ key }) => key > stoppedAt);
    const first = after < 0 ? 0 : after;
    let claimed = 0;
    for (let i = 0; i < tenants.length && room > 0 && !stopped; i += 1) {
      const { key, state } = tenants[(first + i) % tenants.length]!;
      const { tenant, ...clock } = state;
      const ctx: Ctx = {
        db: deps.db,
        dialect: deps.dialect,
        clock: tenantClock(deps.wallClock, clock),
        tenant,
        config: deps.config,
        wiring: deps.wiring,
      };
      const leased = await claimDue(ctx, room, concurrency, busy, leaseMs);
      for (const item of leased) start(ctx, item);
      room -= leased.length;
      claimed += leased.length;
      // @NOTE the tenant that used up the slots goes last next time: a tenant with a backlog cannot starve others.
      if (room <= 0) stoppedAt = key;
    }
    return claimed;
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      signalled = false;
      try {
        claimed = await pass();
      } catch (error) {
        deps.log?.('claiming webhooks failed; trying again', error);
      }
      // @NOTE a pass that took work may have left more due: look again at once; otherwise wait for free slots (a
      // send that ends wakes the loop) or the poll.
      if (claimed === 0 && !stopped) await sleep(deps.pollMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(sending);
      while (recorder) await recorder;
    },
  };
}
