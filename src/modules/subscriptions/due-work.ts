// What the clock makes happen to subscriptions: scheduled changes, renewals and payment retries, each in its
// own database transaction with the row locked, at the instant it fell due. Re-running is harmless: a row
// whose work is done is no longer due.
import { type Ctx, type TxCtx, withBatchTransaction } from '../../context.js';
import { applyScheduledChange, dueAction, dunningExhausted, renew } from '../../billing/subscription-lifecycle.js';
import type { DueRun, DueWorkRunner } from '../module.js';
import { dueIdsOncePerCall } from '../../kernel/due-units.js';
import { clockStartingAt, nextTurn, stopwatch } from '../../kernel/clock.js';
import { instantFromStored, toStoredTime, Temporal } from '../../kernel/time.js';
import { portalOfContext } from '../sellers/service.js';
import { prefetchAddresses } from '../addresses/service.js';
import { prefetchPaymentMethods } from '../payment-methods/service.js';
import { prefetchCreditBalances } from '../credit-balances/service.js';
import { findPastDueTransaction } from '../transactions/service.js';
import type { SubscriptionRow } from '../../db/tables.js';
import { collect, DUNNING_DAYS, storeTransition } from './billing.js';
import { claimSubscriptions, dueSubscriptionIds, earliestDue } from './repository.js';
import { applyTransition } from './service.js';
import { stateOf } from './state.js';
import { pendingSubscription } from './pending.js';

/**
 * What became of one due subscription: done, held by another process, left due (nothing to do, or it threw), or
 * `later`: due after work the units before it made (a retry a day after a failure), which must run first.
 */
type Outcome = 'done' | 'busy' | 'not_due' | 'idle' | 'later';

/**
 * The earliest due instant (stored form, so text order is time order) of the work this `runDue` call's units
 * made, shared by its lanes. @NOTE ids are found a block at a time in due order, and a unit can make work due
 * before the later ones of its block: a renewal declined on 10 February is retried on the 11th, before a renewal
 * due on 10 March found in the same block (issue #10's newcomer trial: that renewal was billed, and announced,
 * while the clock read 13 February). A unit due after the horizon ends the call; the next one starts from the
 * earliest due again.
 */
interface Horizon {
  at: string | null;
}

/** Lowers the horizon to the subscription's new due instant, when this batch changed it. */
function lowerHorizon(ctx: TxCtx, horizon: Horizon, id: string): void {
  const next = pendingSubscription(ctx, id)?.next_due_at;
  if (next && (horizon.at === null || next < horizon.at)) horizon.at = next;
}

/**
 * At most how many subscriptions one database transaction claims (in one query) and handles, each in a savepoint
 * of its own (all-or-nothing per subscription), and for how long (ms of wall time) it may keep starting new ones. SQLite: a short time,
 * since the transaction holds the one connection and requests (and other processes) queue behind it; PostgreSQL:
 * longer, since each commit waits for the WAL flush, while reads go on beside it.
 */
const PER_TRANSACTION = { sqlite: 64, postgres: 32 } as const;
const TRANSACTION_MS = { sqlite: 10, postgres: 40 } as const;
/**
 * Batch transactions run at once by one process: on PostgreSQL each on a connection of its own, so one batch's
 * statements travel while another's wait for their answers (a renewal is six round trips, and the process
 * was idle most of the time waiting for them); their claims are disjoint (SKIP LOCKED), and the invoice
 * counter is locked only from a batch's flush to its commit. SQLite has one connection and one writer.
 */
const LANES = { sqlite: 1, postgres: 3 } as const;

/** How far ahead of the earliest due unit lanes side by side may reach (see `laneWindowEnd`). */
const LANE_WINDOW_HOURS = 24;

/**
 * Subscriptions a transaction takes whatever the time (on a loaded machine, a few would take the budget), and
 * its first claim: later claims are sized by how many more the rest of the budget fits at the pace so far.
 */
const AT_LEAST = { sqlite: 4, postgres: 8 } as const;

/**
 * How many of `ids` the next claim takes: `taken` ran in `spentMs` and `budgetMs - spentMs` is left. @NOTE a
 * batch claimed all its ids at once and used a fifth of them before its time was up (#10): the rest were read,
 * with their addresses and payment methods, for nothing, and on PostgreSQL held from other processes meanwhile.
 */
export function nextClaimSize(taken: number, spentMs: number, budgetMs: number, first: number): number {
  if (taken === 0) return first;
  const perUnitMs = Math.max(spentMs, 0.001) / taken;
  return Math.max(1, Math.ceil((budgetMs - spentMs) / perUnitMs));
}

/** One due subscription, claimed by its batch (`row`, undefined when another process holds it), in a savepoint. */
async function runOne(ctx: TxCtx, row: SubscriptionRow | undefined, horizon: Horizon): Promise<Outcome> {
  if (!row) return 'busy';
  if (!row.next_due_at) return 'not_due';
  if (horizon.at !== null && row.next_due_at > horizon.at) return 'later';
  const outcome = await runDueStep(ctx, row, row.next_due_at);
  if (outcome === 'done') lowerHorizon(ctx, horizon, row.id);
  return outcome;
}

/** The step `row` is due for at `dueAt` (a scheduled change, a payment retry or a renewal), run at that instant. */
async function runDueStep(ctx: TxCtx, row: SubscriptionRow, dueAt: string): Promise<Outcome> {
  const due = instantFromStored(dueAt);
  if (Temporal.Instant.compare(due, ctx.clock.now()) > 0) return 'not_due';
  // @NOTE the work runs at the instant it fell due, however late it is found (issue #10): a renewal overdue
  // since a restart is billed at its own instant, and the next one falls due a period after it.
  const at: TxCtx = { ...ctx, clock: clockStartingAt(ctx.clock, due) };
  const now = at.clock.now();
  const state = stateOf(row);
  const action = dueAction(state, now);
  if (action === 'apply_scheduled_change') {
    await applyTransition(at, row, applyScheduledChange(state, now));
    return 'done';
  }
  if (row.status === 'past_due' && row.retry_at && row.retry_at <= toStoredTime(now)) {
    await retry(at, row);
    return 'done';
  }
  if (action === 'renew') {
    await applyTransition(at, row, renew(state, now));
    return 'done';
  }
  return 'idle';
}

/** A payment retry of a past-due subscription, or, 30 days after the failure, the end of dunning. */
async function retry(ctx: TxCtx, row: SubscriptionRow): Promise<void> {
  const since = instantFromStored(row.past_due_since ?? row.retry_at!);
  if (Temporal.Instant.compare(ctx.clock.now(), since.add({ hours: DUNNING_DAYS * 24 })) >= 0) {
    await storeTransition(ctx, row, dunningExhausted(stateOf(row), ctx.clock.now()), { retry_at: null });
    return;
  }
  const transaction = await findPastDueTransaction(ctx, row.id);
  if (!transaction) {
    await storeTransition(ctx, row, { state: stateOf(row), events: [], bill: null }, { retry_at: null });
    return;
  }
  const portal = await portalOfContext(ctx);
  await collect(ctx, row, transaction.id, portal.portalId);
}

function reportFailure(ctx: Ctx, id: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(
    `due work for subscription ${id} (${ctx.tenant.seller_id}/${ctx.tenant.environment}) failed and stays due: ${detail}`,
    'PaddockDueWorkWarning',
  );
}

/**
 * Claims a chunk of the batch's subscriptions in one query, and reads what their renewals need of other tables (addresses,
 * saved payment methods, which customers hold credit) in one query each, for the units to find without queries of their own.
 */
async function claimBatch(ctx: TxCtx, ids: readonly string[]): Promise<Map<string, SubscriptionRow>> {
  const rows = await claimSubscriptions(ctx.db, ctx.tenant, ids, ctx.dialect);
  await prefetchAddresses(ctx, [...new Set(rows.map((row) => row.address_id))]);
  const methods = rows.flatMap((row) => (row.payment_method_id ? [row.payment_method_id] : []));
  await prefetchPaymentMethods(ctx, [...new Set(methods)]);
  await prefetchCreditBalances(ctx, [...new Set(rows.map((row) => row.customer_id))]);
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Handles `ids` from the first in one database transaction, each subscription in a savepoint, until they run out
 * or the transaction has run `TRANSACTION_MS`: one that cannot be processed (its renewal cannot be priced, say) is
 * rolled back alone and stays due, without stopping the others or the clock. Answers the outcomes of the ids it
 * took (a prefix of `ids`, at least one). When the commit itself fails (the events or the invoice counter written
 * for the whole batch), the ids are tried again one per transaction, so one bad renewal cannot hold back others.
 */
async function runGroup(ctx: Ctx, ids: string[], horizon: Horizon): Promise<Array<Outcome | 'failed'>> {
  const elapsed = stopwatch();
  const taken: string[] = [];
  try {
    return await withBatchTransaction(ctx, async (batch) => {
      const claimed = new Map<string, SubscriptionRow>();
      let claimedUpTo = 0;
      const outcomes: Array<Outcome | 'failed'> = [];
      for (const [index, id] of ids.entries()) {
        if (taken.length >= AT_LEAST[ctx.dialect] && elapsed() >= TRANSACTION_MS[ctx.dialect]) break;
        if (index >= claimedUpTo) {
          const size = nextClaimSize(taken.length, elapsed(), TRANSACTION_MS[ctx.dialect], AT_LEAST[ctx.dialect]);
          const chunk = ids.slice(index, index + size);
          for (const [key, row] of await batch.unit((ctx) => claimBatch(ctx, chunk))) claimed.set(key, row);
          claimedUpTo = index + chunk.length;
        }
        taken.push(id);
        const outcome = await batch
          .unit((ctx) => runOne(ctx, claimed.get(id), horizon))
          .catch((error: unknown) => {
            reportFailure(ctx, id, error);
            return 'failed' as const;
          });
        outcomes.push(outcome);
        if (outcome === 'later') break;
      }
      return outcomes;
    });
  } catch (error) {
    // The commit itself failed: nothing of the group was kept. Alone, each commits or stays due by itself.
    if (taken.length > 1) {
      const outcomes: Array<Outcome | 'failed'> = [];
      for (const id of taken) outcomes.push(...(await runGroup(ctx, [id], horizon)));
      return outcomes;
    }
    // (Nothing taken: the transaction did not even begin. The first id counts as tried, so the caller moves on.)
    const tried = taken.length > 0 ? taken : ids.slice(0, 1);
    for (const id of tried) reportFailure(ctx, id, error);
    return tried.map(() => 'failed' as const);
  }
}

export const subscriptionDueWork: DueWorkRunner = {
  name: 'subscriptions',
  async nextDueAt(ctx, after) {
    const due = await earliestDue(ctx.db, ctx.tenant, after ? toStoredTime(after) : undefined);
    return due ? instantFromStored(due) : undefined;
  },
  async runDue(ctx, limit) {
    const until = toStoredTime(ctx.clock.now());
    const run: DueRun = { done: 0, busy: 0, failed: 0, more: false };
    const horizon: Horizon = { at: null };
    // Ids are found a full batch per lane at a time, so no lane is left a remainder of a few; the lanes take them
    // in turn (ids 0, 3, 6… to the first), so they move through due time together.
    const lanes = LANES[ctx.dialect];
    const found = PER_TRANSACTION[ctx.dialect] * lanes;
    for (let after: string | undefined; ;) {
      const bound = lanes > 1 ? await laneWindowEnd(ctx, until, after) : until;
      for await (const ids of dueIdsOncePerCall((n) => dueSubscriptionIds(ctx.db, ctx.tenant, bound, n), found)) {
        const slices = Array.from({ length: lanes }, (_, lane) => ids.filter((_, index) => index % lanes === lane));
        await Promise.all(slices.map((slice) => runSlice(ctx, slice, limit, run, horizon)));
        if (run.more) return run;
      }
      if (bound >= until) return run;
      // Work after the window is left to the next call, which starts from the earliest due again; when nothing in
      // the window could be done (its units failed, or another process holds them), the next window is looked at
      // now, or the caller would take this runner for done up to `until`.
      if (run.done > 0) return { ...run, more: true };
      after = bound;
    }
  },
};

/**
 * How far (stored form) lanes running side by side may reach from the earliest due unit (after `after`, when
 * given): a day, or `until`.
 * @NOTE the horizon keeps one lane in time order, but lanes run units side by side, and a unit of one lane may
 * make work due before a unit another lane runs meanwhile. What a unit makes falls due a day or more after it (a
 * retry, a renewal of a daily plan) but in rare cases (a renewal declined during dunning, a retry of the spell
 * hours away; a resume set for just after a pause): so lanes reach at most a day ahead together, and such work
 * runs at most that much out of order among them. One lane (SQLite) keeps exact time order.
 */
async function laneWindowEnd(ctx: Ctx, until: string, after?: string): Promise<string> {
  const first = await earliestDue(ctx.db, ctx.tenant, after);
  if (first === null) return until;
  const end = toStoredTime(instantFromStored(first).add({ hours: LANE_WINDOW_HOURS }));
  return end < until ? end : until;
}

/**
 * Runs `ids` in batch transactions one after another, counting outcomes into `run` (shared by the lanes); stops at
 * a unit due after the horizon (`more`: the call ends, and the next starts from the earliest due).
 */
async function runSlice(ctx: Ctx, ids: string[], limit: number, run: DueRun, horizon: Horizon): Promise<void> {
  for (let start = 0; start < ids.length;) {
    if (run.done >= limit) {
      run.more = true;
      return;
    }
    const group = ids.slice(start, start + Math.min(PER_TRANSACTION[ctx.dialect], limit - run.done));
    const outcomes = await runGroup(ctx, group, horizon);
    start += outcomes.length;
    for (const outcome of outcomes) {
      if (outcome === 'done') run.done += 1;
      else if (outcome === 'busy') run.busy += 1;
      else if (outcome === 'later') run.more = true;
      else if (outcome !== 'not_due') run.failed += 1;
    }
    if (run.more) return;
    await nextTurn();
  }
}
