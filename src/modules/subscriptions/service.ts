// Subscriptions through the API: reads (with management_urls), and the lifecycle operations, each one database
// transaction: lock the row, ask billing/subscription-lifecycle for the transition, store it, record its events
// in order, and bill the period the transition says to bill.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { SubscriptionRow } from '../../db/tables.js';
import {
  activate,
  cancel,
  pause,
  resume,
  type Transition,
  type ResumeInput,
} from '../../billing/subscription-lifecycle.js';
import { notFound } from '../../kernel/errors.js';
import { parseRfc3339 } from '../../kernel/time.js';
import { invalidField } from '../../kernel/errors.js';
import { portalBase } from '../sellers/portal-links.js';
import { mintPortalToken } from '../sellers/portal-tokens.js';
import { findPortal } from '../sellers/service.js';
import { billSubscriptionPeriod, storeTransition } from './billing.js';
import {
  findSubscription,
  listSubscriptions as listRows,
  lockSubscription,
  type SubscriptionFilters,
} from './repository.js';
import { serializeSubscription, type LinkContext, type SubscriptionEntity } from './serialize.js';
import { stateOf } from './state.js';
import { pendingSubscription, writePendingSubscriptions } from './pending.js';
import type { OperationBody } from '../../spec/operations.js';

export interface Viewer {
  portalId: string;
  /** Whether the caller's key holds customer_portal_session.write (then links carry a token). */
  canMintPortalTokens: boolean;
  /** The portal's signing secret when the caller already has it (an API key carries it): saves reading it. */
  signingSecret?: string;
}

/** How this caller's responses build management_urls: the environment's portal, and a token when allowed. */
export async function linkContext(ctx: Ctx, viewer: Viewer): Promise<LinkContext> {
  const base = portalBase(ctx.config, ctx.tenant.environment);
  if (!viewer.canMintPortalTokens) return { portalBase: base, portalId: viewer.portalId };
  const signingSecret = viewer.signingSecret ?? (await findPortal(ctx.db, viewer.portalId))?.signingSecret;
  if (signingSecret === undefined) return { portalBase: base, portalId: viewer.portalId };
  const now = ctx.clock.now();
  const tokens = new Map<string, Promise<string>>();
  return {
    portalBase: base,
    portalId: viewer.portalId,
    // @NOTE one token per customer per response, minted fresh and never stored.
    tokenFor: (customerId) => {
      let token = tokens.get(customerId);
      if (!token) {
        token = mintPortalToken(signingSecret, {
          customerId,
          tenant: ctx.tenant,
          usage: 'customer-portal-url',
          now,
        });
        tokens.set(customerId, token);
      }
      return token;
    },
  };
}

export async function getSubscriptionRow(ctx: Ctx, id: string): Promise<SubscriptionRow> {
  const row = pendingSubscription(ctx, id) ?? (await findSubscription(ctx.db, ctx.tenant, id));
  if (!row) throw notFound(id);
  return row;
}

async function lockRow(ctx: TxCtx, id: string): Promise<SubscriptionRow> {
  const row = pendingSubscription(ctx, id) ?? (await lockSubscription(ctx.db, ctx.tenant, id, ctx.dialect));
  if (!row) throw notFound(id);
  return row;
}

export async function listSubscriptions(ctx: Ctx, viewer: Viewer, filters: SubscriptionFilters, page: PageRequest) {
  await writePendingSubscriptions(ctx);
  const result = await listRows(ctx.db, ctx.tenant, filters, page);
  const links = await linkContext(ctx, viewer);
  return { page: result, data: await Promise.all(result.rows.map((row) => serializeSubscription(row, links))) };
}

/**
 * Stores a transition: the new state, its events in Paddle's order, and the bill for a new period (activation,
 * resume into a new period) through the subscription's saved payment method.
 */
export async function applyTransition(
  ctx: TxCtx,
  row: SubscriptionRow,
  transition: Transition,
): Promise<SubscriptionRow> {
  if (transition.events.length === 0 && transition.bill === null) return row;
  const next = await storeTransition(ctx, row, transition);
  return transition.bill ? billSubscriptionPeriod(ctx, next, transition.bill) : next;
}

/** Runs one lifecycle operation in a database transaction and answers the subscription as the API shows it. */
export async function operate(
  ctx: Ctx,
  viewer: Viewer,
  id: string,
  move: (row: SubscriptionRow) => Transition,
): Promise<SubscriptionEntity> {
  const row = await withTransaction(ctx, async (ctx) => {
    const current = await lockRow(ctx, id);
    return applyTransition(ctx, current, move(current));
  });
  return serializeSubscription(row, await linkContext(ctx, viewer));
}

function instantField(field: string, value: string | null | undefined) {
  if (value === null || value === undefined) return null;
  const instant = parseRfc3339(value);
  if (!instant) throw invalidField([{ field, message: 'must be an RFC 3339 date-time' }]);
  return instant;
}

export function cancelSubscription(ctx: Ctx, viewer: Viewer, id: string, input: OperationBody<'cancel-subscription'>) {
  return operate(ctx, viewer, id, (row) => cancel(stateOf(row), input ?? {}, ctx.clock.now()));
}

export function pauseSubscription(ctx: Ctx, viewer: Viewer, id: string, input: OperationBody<'pause-subscription'>) {
  const resumeAt = instantField('resume_at', input?.resume_at);
  return operate(ctx, viewer, id, (row) =>
    pause(
      stateOf(row),
      { effective_from: input?.effective_from ?? null, resume_at: resumeAt, on_resume: input?.on_resume ?? null },
      ctx.clock.now(),
    ),
  );
}

export function resumeSubscription(ctx: Ctx, viewer: Viewer, id: string, input: OperationBody<'resume-subscription'>) {
  const from = input?.effective_from;
  const effective: ResumeInput['effective_from'] =
    from === undefined || from === null || from === 'immediately'
      ? 'immediately'
      : instantField('effective_from', from);
  return operate(ctx, viewer, id, (row) =>
    resume(stateOf(row), { effective_from: effective, on_resume: input?.on_resume ?? null }, ctx.clock.now()),
  );
}

export function activateSubscription(ctx: Ctx, viewer: Viewer, id: string) {
  return operate(ctx, viewer, id, (row) => activate(stateOf(row), ctx.clock.now()));
}
