// What a module contributes to Paddock, declared once in its `module.ts` entry: its API routes, its pages, the
// work that falls due on a tenant's clock, and its reactions to other modules' events. `wire` turns the list of
// modules into the one value every use case reaches through its Ctx; nothing is registered in process memory,
// so building the app twice, or running the scheduler without the app, wires exactly the same reactions.
import type { FastifyInstance } from 'fastify';
import type { Ctx, TxCtx } from '../context.js';
import type { TransactionRow } from '../db/tables.js';
import type { ServerDeps } from '../http/operation.js';
import type { Instant } from '../kernel/time.js';

/** Registers routes on the app (API routes) or on the form-parsing web scope (pages). */
export type RouteRegistrar = (app: FastifyInstance, deps: ServerDeps) => void;

export interface PaidContext {
  /** The saved payment method the transaction was paid with, if any. */
  paymentMethodId: string | null;
  /** True when that is the subscription's own saved method, charged by Paddock (renewals, retries, charges). */
  subscriptionsOwnMethod?: boolean;
}

/**
 * A reaction to a transaction that was paid (or billed, for manual collection), run inside that change's
 * database transaction, so it commits or rolls back with the payment. Returns the row to continue with (e.g. with
 * `subscription_id` set). Must be idempotent per transaction: a retried payment runs it again.
 */
export type TransactionReaction = (ctx: TxCtx, row: TransactionRow, paid: PaidContext) => Promise<TransactionRow>;

/** An event as it was recorded (src/events/record.ts): its id, Paddle name, stored time and entity. */
export interface RecordedEvent {
  id: string;
  eventType: string;
  /** Stored RFC 3339 time on the tenant's clock. */
  occurredAt: string;
  /** The entity as Paddle's webhook carries it. */
  data: unknown;
}

/**
 * A reaction to an event being recorded, run inside the transaction that records it, so whatever it writes (the
 * webhook notifications for it) commits or rolls back with the change the event describes.
 */
export type EventReaction = (ctx: TxCtx, event: RecordedEvent) => Promise<void>;

/**
 * Work that falls due at an instant on a tenant's clock (renewals, trial ends, scheduled changes, payment retries,
 * notification retries), whatever module owns it. The clock advance and the scheduler of every process run all
 * runners together, in order of due instant across runners (modules/sellers/due-work.ts), so each unit must run
 * at its OWN due instant: a runner asked to run work due by `ctx.clock.now()` runs each unit with a clock that
 * reads the instant the unit fell due (`clockStartingAt(ctx.clock, due)`), never the later instant it was found
 * at. Units are claimed through the database (`FOR UPDATE SKIP LOCKED` on PostgreSQL) so several processes share
 * them, and re-checked once claimed so none runs twice.
 */
export interface DueWorkRunner {
  name: string;
  /**
   * True when a server runs this work continuously in a worker of its own (webhook deliveries: jobs/
   * notification-worker.ts): the scheduler's passes leave it to that worker, so one process never claims the same
   * work by two paths; the clock advance still runs it in time order with the rest.
   */
  ownWorker?: boolean;
  /**
   * The earliest instant at which this runner has work for the tenant (overdue work included), or undefined if
   * none. With `after`, the earliest strictly after that instant (work at or before it is known to be failing).
   */
  nextDueAt(ctx: Ctx, after?: Instant): Promise<Instant | undefined>;
  /**
   * Does units due at or before `ctx.clock.now()` in order of due instant, each at its own instant and in its own
   * database transaction (all-or-nothing), stopping after `limit` units done. A unit that throws is rolled back,
   * stays due and is not tried again in this call. Must be idempotent.
   */
  runDue(ctx: Ctx, limit: number): Promise<DueRun>;
}

/** What one `runDue` call did: counts of units. */
export interface DueRun {
  /** Units done (their work committed). */
  done: number;
  /** Units due but held by another process right now (still due; that process is doing them). */
  busy: number;
  /** Units that threw: rolled back, still due. */
  failed: number;
  /** True when it stopped at `limit` with more due: call again. */
  more: boolean;
}

export interface PaddockModule {
  /** The resource's name, as its folder under src/modules. */
  name: string;
  /** Paddle API operations and Paddock test helpers (JSON in, Paddle's envelope out). */
  routes?: RouteRegistrar;
  /** Server-rendered pages; HTML forms post url-encoded bodies, which only these routes accept. */
  webRoutes?: RouteRegistrar;
  dueWork?: readonly DueWorkRunner[];
  reactions?: {
    /** After an automatically-collected transaction is paid (checkout, pay helper, a collected renewal). */
    transactionPaid?: readonly TransactionReaction[];
    /** After a manually-collected transaction is billed (Paddle creates its subscription then, before payment). */
    manualTransactionBilled?: readonly TransactionReaction[];
    /** After any event is recorded (in its transaction). */
    eventRecorded?: readonly EventReaction[];
  };
}

/** Every module's reactions and due work, in module order: what use cases reach through `ctx.wiring`. */
export interface Wiring {
  readonly reactions: {
    readonly transactionPaid: readonly TransactionReaction[];
    readonly manualTransactionBilled: readonly TransactionReaction[];
    readonly eventRecorded: readonly EventReaction[];
  };
  readonly dueWork: readonly DueWorkRunner[];
}

/**
 * Collects the modules' reactions and due work into one frozen value. Pure: the same modules give the same wiring,
 * however often it is called. Throws when two modules share a name (a module listed twice would react twice).
 */
export function wire(modules: readonly PaddockModule[]): Wiring {
  const names = new Set<string>();
  for (const module of modules) {
    if (names.has(module.name)) throw new Error(`module ${module.name} is listed twice`);
    names.add(module.name);
  }
  return Object.freeze({
    reactions: Object.freeze({
      transactionPaid: Object.freeze(modules.flatMap((module) => module.reactions?.transactionPaid ?? [])),
      manualTransactionBilled: Object.freeze(
        modules.flatMap((module) => module.reactions?.manualTransactionBilled ?? []),
      ),
      eventRecorded: Object.freeze(modules.flatMap((module) => module.reactions?.eventRecorded ?? [])),
    }),
    dueWork: Object.freeze(modules.flatMap((module) => module.dueWork ?? [])),
  });
}
